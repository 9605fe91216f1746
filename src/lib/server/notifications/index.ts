import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from '#server/db';
import { notificationPreferences, notifications } from '#lib/server/db/schema.js';
import { getConfig } from '#server/config';
import { toMailLocale } from '#server/mail';
import { enqueueMail } from './outbox';
import {
	EMAIL_TOPICS,
	TOPIC_OF,
	notificationMail,
	notificationText,
	type EmailTopic,
	type NotificationKind,
	type NotificationPayload
} from './templates';

export { enqueueMail, processOutbox, startOutboxWorker, type OutboxWorker } from './outbox';
export { EMAIL_TOPICS, NOTIFICATION_KINDS, notificationMail, type EmailTopic, type NotificationKind, type NotificationPayload } from './templates';

/**
 * Tells a resident something: an in-app notification always, and an e-mail (through the
 * outbox, so in the caller's transaction) unless they turned that topic off. Call it inside
 * the transaction of the change it is about.
 */
export async function notify(
	tx: Tx | Db,
	input: { userId: string; kind: NotificationKind; payload?: NotificationPayload; origin?: string }
): Promise<{ notificationId: number; mailId: number | null }> {
	const payload = input.payload ?? {};
	const [row] = await tx
		.insert(notifications)
		.values({ userId: input.userId, kind: input.kind, payload })
		.returning({ id: notifications.id });
	const [user] = await queryRows<{ email: string; locale: string; muted: string[] | null }>(
		tx,
		sql`select u.email, u.locale, p.muted_email_topics as muted
		    from users u left join notification_preferences p on p.user_id = u.id
		    where u.id = ${input.userId}`
	);
	if (!user || (user.muted ?? []).includes(TOPIC_OF[input.kind])) {
		return { notificationId: row.id, mailId: null };
	}
	// The configured public address first (PERKJE_PUBLIC_URL / ORIGIN), else the request's;
	// only a background job on an unconfigured development machine has neither.
	const origin = getConfig().auth.publicOrigin ?? input.origin ?? 'http://localhost:5173';
	const mail = notificationMail(input.kind, payload, toMailLocale(user.locale), origin);
	const mailId = await enqueueMail(tx, { to: user.email, userId: input.userId, kind: input.kind, ...mail });
	return { notificationId: row.id, mailId };
}

export interface NotificationView {
	id: number;
	kind: string;
	subject: string;
	body: string;
	plotId: number | null;
	read: boolean;
	createdAt: Date;
}

/** The resident's notifications, newest first, rendered in the reader's language. */
export async function listNotifications(
	db: Db,
	userId: string,
	locale: 'nl' | 'en',
	limit = 100
): Promise<NotificationView[]> {
	const rows = await db
		.select()
		.from(notifications)
		.where(eq(notifications.userId, userId))
		.orderBy(desc(notifications.id))
		.limit(limit);
	return rows.map((r) => {
		const payload = (r.payload ?? {}) as NotificationPayload;
		return {
			id: r.id,
			kind: r.kind,
			...notificationText(r.kind, payload, locale),
			plotId: typeof payload.plotId === 'number' ? payload.plotId : null,
			read: r.readAt !== null,
			createdAt: r.createdAt
		};
	});
}

/** Marks all of the resident's notifications read (or one, by id). */
export async function markRead(db: Db, userId: string, id?: number): Promise<void> {
	await db
		.update(notifications)
		.set({ readAt: new Date() })
		.where(
			and(
				eq(notifications.userId, userId),
				isNull(notifications.readAt),
				id === undefined ? undefined : eq(notifications.id, id)
			)
		);
}

/** Topics the resident gets e-mail for (all, unless they turned some off). */
export async function emailTopics(db: Db | Tx, userId: string): Promise<EmailTopic[]> {
	const [row] = await db
		.select({ muted: notificationPreferences.mutedEmailTopics })
		.from(notificationPreferences)
		.where(eq(notificationPreferences.userId, userId));
	const muted = row?.muted ?? [];
	return EMAIL_TOPICS.filter((t) => !muted.includes(t));
}

export async function setEmailTopics(db: Db, userId: string, wanted: readonly EmailTopic[]): Promise<void> {
	const muted = EMAIL_TOPICS.filter((t) => !wanted.includes(t));
	await db
		.insert(notificationPreferences)
		.values({ userId, mutedEmailTopics: muted })
		.onConflictDoUpdate({
			target: notificationPreferences.userId,
			set: { mutedEmailTopics: muted, updatedAt: new Date() }
		});
}

/** For "download my data": the notifications and the e-mail choices. */
export async function exportNotifications(tx: Tx, userId: string) {
	const list = await tx
		.select({ kind: notifications.kind, payload: notifications.payload, readAt: notifications.readAt, createdAt: notifications.createdAt })
		.from(notifications)
		.where(eq(notifications.userId, userId))
		.orderBy(desc(notifications.id));
	return { notifications: list, emailTopics: await emailTopics(tx, userId) };
}
export { listRecentMail } from './mail-list';

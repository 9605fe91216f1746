import { sql } from 'drizzle-orm';
import type { ActivityRevisionKind } from '#lib/domain/activity.js';
import type { CareWork } from '#lib/domain/care.js';
import { can, type Actor } from '#lib/domain/policy.js';
import { recordAudit } from '#server/audit';
import { queryRows, type Db, type Tx } from '#server/db';
import { hidePhoto, showPhoto } from '#server/media';
import { activityRevisions } from '#lib/server/db/schema.js';

/**
 * A manager hides a note or a photo someone posted with a care entry, with a reason, or shows
 * it again (policy manage.moderate). Each change writes the entry's history (activity_revisions,
 * append-only) and the audit log in the same transaction as the change itself. Public reads
 * leave out what has note_hidden_at or photos.hidden_at set, so hiding takes effect on the
 * next read; nothing is deleted, and showing it again brings it back as it was.
 */

export const MODERATION_ERROR_CODES = ['forbidden', 'not-found', 'unchanged', 'no-note'] as const;
export type ModerationErrorCode = (typeof MODERATION_ERROR_CODES)[number];

export class ModerationError extends Error {
	constructor(readonly code: ModerationErrorCode) {
		super(code);
		this.name = 'ModerationError';
	}
}

export const MODERATION_REASON_MAX = 500;

interface Target {
	plotId: number;
	activityId: number;
}

async function lockedEntry(tx: Tx, target: Target) {
	const [row] = await queryRows<{ note: string | null; noteHidden: boolean }>(
		tx,
		sql`SELECT note, note_hidden_at IS NOT NULL AS "noteHidden" FROM activities
			WHERE id = ${target.activityId} AND plot_id = ${target.plotId} FOR UPDATE`
	);
	if (!row) throw new ModerationError('not-found');
	return row;
}

async function record(
	tx: Tx,
	actor: Actor,
	target: Target,
	change: { kind: ActivityRevisionKind; reason: string | null; photoId?: number }
): Promise<void> {
	await tx.insert(activityRevisions).values({
		activityId: target.activityId,
		kind: change.kind,
		actorUserId: sql`(SELECT id FROM users WHERE id = ${actor.id})`,
		actorRole: actor.role,
		reason: change.reason,
		photoId: change.photoId ?? null
	});
	await recordAudit(tx, actor, {
		action: `activity.${change.kind}` as `activity.${Exclude<ActivityRevisionKind, 'edit' | 'delete'>}`,
		subjectType: 'activity',
		subjectId: target.activityId,
		after: { plotId: target.plotId, ...(change.photoId ? { photoId: change.photoId } : {}), ...(change.reason ? { reason: change.reason } : {}) }
	});
}

function allowed(actor: Actor): void {
	if (!can(actor, 'manage.moderate')) throw new ModerationError('forbidden');
}

export async function setNoteHidden(db: Db, actor: Actor, target: Target, change: { hidden: boolean; reason?: string }): Promise<void> {
	allowed(actor);
	const reason = change.reason?.trim() || null;
	await db.transaction(async (tx) => {
		const entry = await lockedEntry(tx, target);
		if (!entry.note) throw new ModerationError('no-note');
		if (entry.noteHidden === change.hidden) throw new ModerationError('unchanged');
		await tx.execute(
			change.hidden
				? sql`UPDATE activities SET note_hidden_at = now(), note_hidden_reason = ${reason} WHERE id = ${target.activityId}`
				: sql`UPDATE activities SET note_hidden_at = NULL, note_hidden_reason = NULL WHERE id = ${target.activityId}`
		);
		await record(tx, actor, target, { kind: change.hidden ? 'hide_note' : 'show_note', reason });
	});
}

export async function setPhotoHidden(
	db: Db,
	actor: Actor,
	target: Target & { photoId: number },
	change: { hidden: boolean; reason?: string }
): Promise<void> {
	allowed(actor);
	const reason = change.reason?.trim() || null;
	await db.transaction(async (tx) => {
		await lockedEntry(tx, target);
		const [photo] = await queryRows<{ hidden: boolean }>(
			tx,
			sql`SELECT ph.hidden_at IS NOT NULL AS hidden FROM activity_photos ap JOIN photos ph ON ph.id = ap.photo_id
				WHERE ap.activity_id = ${target.activityId} AND ap.photo_id = ${target.photoId} FOR UPDATE OF ph`
		);
		if (!photo) throw new ModerationError('not-found');
		if (photo.hidden === change.hidden) throw new ModerationError('unchanged');
		if (change.hidden) await hidePhoto(tx, target.photoId, { by: actor.id, reason });
		else await showPhoto(tx, target.photoId);
		await record(tx, actor, target, { kind: change.hidden ? 'hide_photo' : 'show_photo', reason, photoId: target.photoId });
	});
}

export interface CareHistoryRevision {
	kind: ActivityRevisionKind;
	at: Date;
	actorRole: string;
	/** The acting account's display name or address; null once that account is gone. */
	actor: string | null;
	reason: string | null;
	photoId: number | null;
	/** What the entry held before an edit or delete. */
	before: Record<string, unknown> | null;
}

/** An entry as its manager sees it: the work (CareWork), and what happened to it. */
export interface CareHistoryEntry extends CareWork {
	noteHiddenAt: Date | null;
	noteHiddenReason: string | null;
	deletedAt: Date | null;
	createdAt: Date;
	/** The team it was logged for, or the author's name or address; null for an account that is gone. */
	by: string | null;
	photos: Array<{ id: number; smallHash: string | null; largeHash: string | null; hiddenAt: Date | null; hiddenReason: string | null }>;
	revisions: CareHistoryRevision[];
}

/** A plot's whole care log for its manager page: every entry, deleted ones too, newest first, with photos and history. */
export async function plotCareHistory(db: Db, plotId: number, limit = 200): Promise<CareHistoryEntry[]> {
	const entries = await queryRows<Omit<CareHistoryEntry, 'photos' | 'revisions'>>(
		db,
		sql`SELECT a.id, to_char(a.done_on, 'YYYY-MM-DD') AS "doneOn", a.tasks, a.other_task AS "otherTask", a.minutes, a.people, a.note,
				a.note_hidden_at AS "noteHiddenAt", a.note_hidden_reason AS "noteHiddenReason", a.deleted_at AS "deletedAt", a.created_at AS "createdAt",
				coalesce(t.name, nullif(trim(u.display_name), ''), u.email) AS by
			FROM activities a LEFT JOIN teams t ON t.id = a.team_id LEFT JOIN users u ON u.id = a.author_user_id
			WHERE a.plot_id = ${plotId}
			ORDER BY a.done_on DESC, a.id DESC LIMIT ${limit}`
	);
	if (entries.length === 0) return [];
	const ids = sql.join(
		entries.map((e) => sql`${e.id}`),
		sql`, `
	);
	const [photos, revisions] = await Promise.all([
		queryRows<CareHistoryEntry['photos'][number] & { activityId: number }>(
			db,
			sql`SELECT ap.activity_id AS "activityId", ph.id, ph.hidden_at AS "hiddenAt", ph.hidden_reason AS "hiddenReason",
					(SELECT v.hash FROM photo_variants v WHERE v.photo_id = ph.id AND v.variant = 'small') AS "smallHash",
					(SELECT v.hash FROM photo_variants v WHERE v.photo_id = ph.id AND v.variant = 'large') AS "largeHash"
				FROM activity_photos ap JOIN photos ph ON ph.id = ap.photo_id
				WHERE ap.activity_id IN (${ids}) ORDER BY ap.activity_id, ap.position, ph.id`
		),
		queryRows<CareHistoryRevision & { activityId: number }>(
			db,
			sql`SELECT r.activity_id AS "activityId", r.kind, r.created_at AS at, r.actor_role AS "actorRole",
					coalesce(nullif(trim(u.display_name), ''), u.email) AS actor, r.reason, r.photo_id AS "photoId", r.before
				FROM activity_revisions r LEFT JOIN users u ON u.id = r.actor_user_id
				WHERE r.activity_id IN (${ids}) ORDER BY r.activity_id, r.id`
		)
	]);
	const toDate = (v: Date | string | null) => (v === null ? null : new Date(v));
	return entries.map((e) => ({
		...e,
		noteHiddenAt: toDate(e.noteHiddenAt),
		deletedAt: toDate(e.deletedAt),
		createdAt: new Date(e.createdAt),
		photos: photos
			.filter((p) => p.activityId === e.id)
			.map(({ activityId: _, ...p }) => ({ ...p, hiddenAt: toDate(p.hiddenAt) })),
		revisions: revisions
			.filter((r) => r.activityId === e.id)
			.map(({ activityId: _, ...r }) => ({ ...r, at: new Date(r.at) }))
	}));
}

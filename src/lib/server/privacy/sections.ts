import { desc, eq, sql } from 'drizzle-orm';
import { closeAdoptionsOfDeletedAccount } from '#server/adoptions';
import { queryRows, type Tx } from '#server/db';
import { exportNotifications } from '#server/notifications';
import { mailOutbox, partnerOrganisations, sessions, staffAreas, users, auditLog } from '#lib/server/db/schema.js';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';

/**
 * Everything Perkje keeps about a person, one section per kind of data. "Download my data"
 * writes every section; "delete my account" runs every `erase` and then deletes the user
 * row (whose foreign keys cascade or set null).
 *
 * A feature that stores something about a user ADDS A SECTION HERE (adoptions, activities,
 * reports, photos, teams, notifications) and lists the tables it covers in `tables`.
 * ./privacy.spec.ts fails when a table refers to users but no section
 * names it, so nothing personal can be forgotten by the export or the deletion.
 */
export interface PrivacySection {
	/** Key in the exported JSON. */
	name: string;
	/** Tables holding this data (with a foreign key to users, or keyed by e-mail). */
	tables: string[];
	/** What goes into "download my data" (JSON-serialisable). */
	export(tx: Tx, userId: string): Promise<unknown>;
	/**
	 * Removes or anonymises this data, inside the deletion's transaction, before the user
	 * row goes. Contributions (adoptions, activities, reports) stay but lose the person:
	 * set their user reference to null and drop free text that could name them.
	 * Leave it out when the foreign key's ON DELETE already does the right thing.
	 */
	erase?(tx: Tx, userId: string, email: string): Promise<void>;
}

/** A person's rows of one table for "download my data": these columns, newest first. */
function ownRows(tx: Tx, table: PgTable, columns: Record<string, PgColumn>, owner: PgColumn, order: PgColumn, userId: string) {
	return tx.select(columns).from(table).where(eq(owner, userId)).orderBy(desc(order));
}

/** What a person did as staff; the subject is named by type and id only. */
const AUDIT_COLUMNS = {
	action: auditLog.action,
	subjectType: auditLog.subjectType,
	subjectId: auditLog.subjectId,
	createdAt: auditLog.createdAt
};

export const PRIVACY_SECTIONS: PrivacySection[] = [
	{
		name: 'profile',
		tables: ['users', 'accounts', 'staff_areas'],
		async export(tx, userId) {
			const [user] = await tx
				.select({
					email: users.email,
					emailVerified: users.emailVerified,
					displayName: users.displayName,
					locale: users.locale,
					role: users.role,
					partnerOrganisation: partnerOrganisations.name,
					createdAt: users.createdAt,
					updatedAt: users.updatedAt
				})
				.from(users)
				.leftJoin(partnerOrganisations, eq(partnerOrganisations.id, users.partnerOrganisationId))
				.where(eq(users.id, userId));
			const areas = await tx
				.select({ neighbourhoodId: staffAreas.neighbourhoodId, districtCode: staffAreas.districtCode })
				.from(staffAreas)
				.where(eq(staffAreas.userId, userId));
			// The password itself is stored only as a one-way hash and never exported.
			const signInMethods = await queryRows<{ method: string; since: string }>(
				tx,
				sql`select provider_id as "method", created_at as "since" from accounts where user_id = ${userId}`
			);
			return {
				...user,
				signInMethods,
				areas
			};
		}
	},
	{
		name: 'sessions',
		tables: ['sessions'],
		async export(tx, userId) {
			const columns = {
				createdAt: sessions.createdAt,
				lastUsedAt: sessions.updatedAt,
				expiresAt: sessions.expiresAt,
				userAgent: sessions.userAgent
			};
			return ownRows(tx, sessions, columns, sessions.userId, sessions.createdAt, userId);
		}
	},
	{
		name: 'mails',
		tables: ['mail_outbox'],
		async export(tx, userId) {
			// Which mails we sent, not their links: those are one-time sign-in keys.
			const columns = { kind: mailOutbox.kind, subject: mailOutbox.subject, createdAt: mailOutbox.createdAt };
			return ownRows(tx, mailOutbox, columns, mailOutbox.userId, mailOutbox.createdAt, userId);
		},
		async erase(tx, _userId, email) {
			// Mails to the address from before it had an account (invitations, magic links).
			await tx.delete(mailOutbox).where(eq(mailOutbox.recipient, email));
		}
	},
	{
		name: 'notifications',
		tables: ['notifications', 'notification_preferences'],
		// Both cascade with the user row.
		export: (tx, userId) => exportNotifications(tx, userId)
	},
	{
		name: 'auditTrail',
		tables: ['audit_log'],
		// What this account did as staff. The rows stay (the municipality's record) but lose
		// the person: the foreign key sets the actor to null; no e-mail is stored in them.
		export: (tx, userId) =>
			ownRows(tx, auditLog, AUDIT_COLUMNS, auditLog.actorUserId, auditLog.id, userId)
	},
	{
		name: 'pendingSignInLinks',
		tables: ['verifications'],
		async export() {
			// Only one-time tokens live there; they are not the person's data to keep.
			return [];
		},
		async erase(tx, userId, email) {
			// Reset tokens hold the user id; magic-link tokens the address (as JSON).
			await tx.execute(
				sql`delete from verifications where value = ${userId} or value like ${`%"email":"${email}"%`}`
			);
		}
	},
	{
		name: 'adoptions',
		tables: ['adoptions', 'adoption_events', 'adoption_agreements'],
		async export(tx, userId) {
			const adoptionRows = await queryRows(
				tx,
				sql`select a.id, a.plot_id as "plotId", a.team_id as "teamId", a.status, a.motivation,
				           a.agreement_version as "agreementVersion", a.created_at as "createdAt",
				           a.started_at as "startedAt", a.ended_at as "endedAt"
				    from adoptions a where a.user_id = ${userId} order by a.id`
			);
			const events = await queryRows(
				tx,
				sql`select e.adoption_id as "adoptionId", e.from_status as "from", e.to_status as "to",
				           e.reason, e.created_at as "at"
				    from adoption_events e where e.actor_user_id = ${userId} order by e.id`
			);
			return { adoptions: adoptionRows, changesYouMade: events };
		},
		async erase(tx, userId) {
			// The adoption and its history stay (the plot's timeline), without the person or
			// their own words. Open requests and offers of theirs are withdrawn first.
			await closeAdoptionsOfDeletedAccount(tx, userId);
			await tx.execute(sql`update adoptions set motivation = null where user_id = ${userId}`);
			await tx.execute(
				sql`update adoption_events set actor_user_id = null, reason = null where actor_user_id = ${userId} and actor_role = 'resident'`
			);
		}
	},
	{
		name: 'care',
		tables: ['activities', 'activity_photos', 'activity_revisions', 'photos', 'photo_variants'],
		async export(tx, userId) {
			const entries = await queryRows(
				tx,
				sql`select a.id, a.plot_id as "plotId", a.team_id as "teamId", a.done_on as "doneOn", a.tasks,
				           a.other_task as "otherTask", a.minutes, a.people, a.note, a.created_at as "createdAt",
				           a.updated_at as "updatedAt", a.deleted_at as "deletedAt",
				           coalesce((select array_agg(ap.photo_id order by ap.position) from activity_photos ap
				                     where ap.activity_id = a.id), '{}') as "photoIds"
				    from activities a where a.author_user_id = ${userId} order by a.id`
			);
			const revisions = await queryRows(
				tx,
				sql`select r.activity_id as "activityId", r.kind, r.before, r.reason, r.created_at as "at"
				    from activity_revisions r where r.actor_user_id = ${userId} order by r.id`
			);
			// The photos themselves are in the export as their addresses (the stored variants,
			// without metadata); the bytes would make the JSON unreadable.
			const photoRows = await queryRows(
				tx,
				sql`select p.id, p.status, p.width, p.height, p.created_at as "createdAt", p.hidden_at as "hiddenAt",
				           coalesce((select json_object_agg(v.variant, '/media/' || v.hash) from photo_variants v
				                     where v.photo_id = p.id), '{}') as variants
				    from photos p where p.owner_user_id = ${userId} order by p.id`
			);
			return { entries, changesYouMade: revisions, photos: photoRows };
		},
		async erase(tx, userId) {
			// Entries stay as anonymous contributions (date, tasks, minutes, people: the plot's
			// care and the neighbourhood's figures), without the person's own words. Their photos
			// go: a photo of a front garden, a face or a house number can name someone, and no
			// rule can tell a personal photo from one that is not. Revisions keep that a change
			// happened, not what the person wrote before.
			await tx.execute(sql`update activities set note = null, other_task = null where author_user_id = ${userId}`);
			await tx.execute(
				sql`update activity_revisions set before = null
				    where activity_id in (select id from activities where author_user_id = ${userId})`
			);
			await tx.execute(sql`delete from photos where owner_user_id = ${userId}`);
		}
	},
	{
		name: 'reports',
		tables: ['reports', 'report_photos', 'report_history', 'report_supports', 'report_confirmations'],
		async export(tx, userId) {
			const made = await queryRows(
				tx,
				sql`select r.id, c.name_nl as category, r.description, r.state, r.contact_allowed as "contactAllowed",
				           st_x(r.geom) as lon, st_y(r.geom) as lat, r.plot_id as "plotId", r.created_at as "createdAt",
				           coalesce((select array_agg(rp.photo_id order by rp.position) from report_photos rp
				                     where rp.report_id = r.id and rp.kind = 'report'), '{}') as "photoIds"
				    from reports r join report_categories c on c.id = r.category_id
				    where r.reporter_user_id = ${userId}
				       or r.reporter_email = (select lower(email) from users where id = ${userId}) order by r.id`
			);
			const supported = await queryRows(
				tx,
				sql`select report_id as "reportId", created_at as "createdAt" from report_supports
				    where user_id = ${userId} or email = (select lower(email) from users where id = ${userId}) order by id`
			);
			// What the person wrote in a report's history: answers to the municipality's questions.
			const written = await queryRows(
				tx,
				sql`select report_id as "reportId", to_state as "toState", internal_note as "note", created_at as "at"
				    from report_history where actor_user_id = ${userId} and actor_role in ('resident', 'reporter') order by id`
			);
			return { made, supported, answers: written };
		},
		async erase(tx, userId, email) {
			// Reports stay (the municipality's work, the neighbourhood's figures) without the person:
			// no contact, and the reference to them goes with the user row (ON DELETE SET NULL).
			// The description stays: the problem has to be found and solved. Supports go (with the
			// user row) and stop counting.
			await tx.execute(sql`update reports set contact_allowed = false where reporter_user_id = ${userId}`);
			await tx.execute(
				sql`update reports r set support_count = greatest(0, r.support_count - 1)
				    from report_supports s where s.report_id = r.id and s.confirmed_at is not null
				      and (s.user_id = ${userId} or s.email = lower(${email}))`
			);
			// What the same person reported or supported by address before they had an account.
			await tx.execute(sql`update reports set reporter_email = null, contact_allowed = false where reporter_email = lower(${email})`);
			await tx.execute(sql`delete from report_supports where email = lower(${email})`);
		}
	},
	{
		name: 'teams',
		tables: ['teams', 'team_members', 'team_invites'],
		async export(tx, userId) {
			return queryRows(
				tx,
				sql`select t.name, t.kind, m.role, m.joined_at as "joinedAt"
				    from team_members m join teams t on t.id = m.team_id
				    where m.user_id = ${userId} order by m.joined_at`
			);
		},
		async erase(tx, _userId, email) {
			// Invitations sent to the address; memberships cascade with the user row.
			await tx.execute(sql`delete from team_invites where email = ${email}`);
		}
	}
];

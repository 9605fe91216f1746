import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '#lib/domain/policy.js';
import { upsertAccount } from '#server/auth';
import { getDb, queryRows } from '#server/db';
import { adoptedPlot, careAdopter, carePhoto, logCare } from '#tests/integration/care-fixtures.js';
import { ModerationError, plotCareHistory, setNoteHidden, setPhotoHidden } from './moderation';

/**
 * Hiding and showing a note or a photo on the real database: the columns public reads filter
 * on, one revision and one audit row per change in the same transaction, refusals that write
 * nothing, and the plot's history as the manager's page reads it (deleted entries included).
 */
let manager: Actor;
let resident: Actor;
let target: { plotId: number; activityId: number };
let deletedId: number;
let photoId: number;

const actor = (id: string, role: Actor['role']): Actor => ({ id, role, emailVerified: true, neighbourhoodIds: [], districtCodes: [], partnerOrganisationId: null });

beforeAll(async () => {
	const db = getDb();
	const { id } = await upsertAccount(db, { email: 'beheerder-moderatie@voorbeeld.nl', emailVerified: true, role: 'manager' });
	manager = actor(id, 'manager');
	const userId = await careAdopter(db);
	resident = actor(userId, 'resident');
	const plot = await adoptedPlot(db, { userId });
	const activityId = await logCare(db, { ...plot, authorUserId: userId, doneOn: '2026-05-01', note: 'Mijn buurman is een sukkel' });
	target = { plotId: plot.plotId, activityId };
	deletedId = await logCare(db, { ...plot, authorUserId: userId, doneOn: '2026-04-01', deleted: true, note: 'weg' });
	({ photoId } = await carePhoto(db, activityId, userId));
});

async function trail(activityId: number) {
	const db = getDb();
	const revisions = await queryRows<{ kind: string; actorUserId: string; actorRole: string; reason: string | null; photoId: number | null }>(
		db,
		sql`SELECT kind, actor_user_id AS "actorUserId", actor_role AS "actorRole", reason, photo_id AS "photoId" FROM activity_revisions
			WHERE activity_id = ${activityId} ORDER BY id`
	);
	const audit = await queryRows<{ action: string; actorUserId: string; after: Record<string, unknown> }>(
		db,
		sql`SELECT action, actor_user_id AS "actorUserId", after FROM audit_log WHERE subject_type = 'activity' AND subject_id = ${String(activityId)} ORDER BY id`
	);
	return { revisions, audit };
}

describe('moderation', () => {
	it('hides a note with a reason and shows it again, each with a revision and an audit row', async () => {
		const db = getDb();
		await setNoteHidden(db, manager, target, { hidden: true, reason: 'Persoonlijke aanval' });
		const [hidden] = await queryRows<{ hiddenAt: Date | null; reason: string | null; note: string }>(
			db,
			sql`SELECT note_hidden_at AS "hiddenAt", note_hidden_reason AS reason, note FROM activities WHERE id = ${target.activityId}`
		);
		expect(hidden.hiddenAt).not.toBeNull();
		expect(hidden.reason).toBe('Persoonlijke aanval');
		// Hidden, not deleted: the manager still reads it, and showing brings it back as it was.
		expect(hidden.note).toBe('Mijn buurman is een sukkel');
		await expect(setNoteHidden(db, manager, target, { hidden: true, reason: 'nog eens' })).rejects.toMatchObject({ code: 'unchanged' });
		await setNoteHidden(db, manager, target, { hidden: false });
		const [shown] = await queryRows<{ hiddenAt: Date | null }>(db, sql`SELECT note_hidden_at AS "hiddenAt" FROM activities WHERE id = ${target.activityId}`);
		expect(shown.hiddenAt).toBeNull();

		const { revisions, audit } = await trail(target.activityId);
		expect(revisions).toEqual([
			{ kind: 'hide_note', actorUserId: manager.id, actorRole: 'manager', reason: 'Persoonlijke aanval', photoId: null },
			{ kind: 'show_note', actorUserId: manager.id, actorRole: 'manager', reason: null, photoId: null }
		]);
		expect(audit.map((a) => [a.action, a.actorUserId, a.after])).toEqual([
			['activity.hide_note', manager.id, { plotId: target.plotId, reason: 'Persoonlijke aanval' }],
			['activity.show_note', manager.id, { plotId: target.plotId }]
		]);
	});

	it('hides a photo of the entry and shows it again', async () => {
		const db = getDb();
		await setPhotoHidden(db, manager, { ...target, photoId }, { hidden: true, reason: 'Gezicht herkenbaar' });
		const [photo] = await queryRows<{ hiddenAt: Date | null; hiddenBy: string | null; reason: string }>(
			db,
			sql`SELECT hidden_at AS "hiddenAt", hidden_by AS "hiddenBy", hidden_reason AS reason FROM photos WHERE id = ${photoId}`
		);
		expect(photo).toMatchObject({ hiddenBy: manager.id, reason: 'Gezicht herkenbaar' });
		expect(photo.hiddenAt).not.toBeNull();
		const history = await plotCareHistory(db, target.plotId);
		expect(history.find((e) => e.id === target.activityId)?.photos[0]).toMatchObject({ id: photoId, hiddenReason: 'Gezicht herkenbaar' });
		await setPhotoHidden(db, manager, { ...target, photoId }, { hidden: false });
		const { revisions, audit } = await trail(target.activityId);
		expect(revisions.slice(-2).map((r) => [r.kind, r.photoId, r.reason])).toEqual([
			['hide_photo', photoId, 'Gezicht herkenbaar'],
			['show_photo', photoId, null]
		]);
		expect(audit.slice(-2).map((a) => a.action)).toEqual(['activity.hide_photo', 'activity.show_photo']);
	});

	it('refuses residents, other plots and other entries’ photos, and writes nothing then', async () => {
		const db = getDb();
		const before = await trail(target.activityId);
		await expect(setNoteHidden(db, resident, target, { hidden: true, reason: 'mag niet' })).rejects.toBeInstanceOf(ModerationError);
		await expect(setNoteHidden(db, manager, { ...target, plotId: target.plotId + 1000 }, { hidden: true, reason: 'ander perk' })).rejects.toMatchObject({ code: 'not-found' });
		await expect(setPhotoHidden(db, manager, { plotId: target.plotId, activityId: deletedId, photoId }, { hidden: true, reason: 'andere' })).rejects.toMatchObject({ code: 'not-found' });
		expect(await trail(target.activityId)).toEqual(before);
	});

	it('lists every entry of the plot for its manager, deleted ones too, with their history', async () => {
		const history = await plotCareHistory(getDb(), target.plotId);
		expect(history.map((e) => [e.id, e.deletedAt !== null])).toEqual([
			[target.activityId, false],
			[deletedId, true]
		]);
		expect(history[0].revisions.map((r) => r.kind)).toEqual(['hide_note', 'show_note', 'hide_photo', 'show_photo']);
		expect(history[0].revisions[0].actor).toBe('beheerder-moderatie@voorbeeld.nl');
	});
});

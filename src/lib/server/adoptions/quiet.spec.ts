import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { upsertAccount } from '#server/auth';
import { getDb, queryRows } from '#server/db';
import { nudgeQuietAdoptions, listStale } from './quiet';

/**
 * The automatic nudge of quiet adoptions, on the real database (both kinds): once per quiet
 * spell, as 'system' in the audit log, an in-app notification plus a pending mail — and the
 * adoption stays active.
 */
async function quietAdoption(weeksAgo: number) {
	const db = getDb();
	const { id: userId } = await upsertAccount(db, { email: `stil-${weeksAgo}-${Math.random()}@voorbeeld.nl`, emailVerified: true });
	const wkt = 'POLYGON((4.35 52.01, 4.3505 52.01, 4.3505 52.0105, 4.35 52.0105, 4.35 52.01))';
	const [plot] = await queryRows<{ id: number }>(
		db,
		sql`insert into plots (source_id, dataset, kind, area_m2, geom, label_point)
		    values (${'stil-' + Math.random()}, 'test', 'groenvoorziening', 20, ST_Multi(ST_GeomFromText(${wkt}, 4326)),
		      ST_PointOnSurface(ST_GeomFromText(${wkt}, 4326))) returning id`
	);
	const ago = `${weeksAgo} weeks`;
	const [a] = await queryRows<{ id: number }>(
		db,
		sql`insert into adoptions (plot_id, user_id, status, created_at, updated_at, started_at)
		    values (${plot.id}, ${userId}, 'active', now() - ${ago}::interval, now() - ${ago}::interval, now() - ${ago}::interval) returning id`
	);
	await db.execute(
		sql`insert into adoption_events (adoption_id, from_status, to_status, actor_role, created_at)
		    values (${a.id}, 'requested', 'active', 'manager', now() - ${ago}::interval)`
	);
	return { adoptionId: a.id, plotId: plot.id, userId };
}

/** A care entry on the adoption's plot, `daysAgo` days back (written straight into the table). */
async function logCare(q: { adoptionId: number; plotId: number; userId: string }, daysAgo: number, deleted = false) {
	await getDb().execute(
		sql`insert into activities (plot_id, adoption_id, author_user_id, done_on, tasks, minutes, people, deleted_at)
		    values (${q.plotId}, ${q.adoptionId}, ${q.userId}, current_date - ${daysAgo}::int, '{weeding}', 30, 1,
		      ${deleted ? sql`now()` : sql`null`})`
	);
}

describe('quiet adoptions', () => {
	it('nudges each quiet adoption once, as system, and never ends it', async () => {
		const quiet = await quietAdoption(10);
		const lively = await quietAdoption(2);
		expect(await nudgeQuietAdoptions(getDb(), 8)).toBe(1);
		// A second sweep finds nothing new: the nudge stands until the next sign of life.
		expect(await nudgeQuietAdoptions(getDb(), 8)).toBe(0);

		const [audit] = await queryRows<{ actorRole: string; actorUserId: string | null }>(
			getDb(),
			sql`select actor_role as "actorRole", actor_user_id as "actorUserId" from audit_log
			    where action = 'adoption.nudge' and subject_id = ${String(quiet.adoptionId)}`
		);
		expect(audit).toEqual({ actorRole: 'system', actorUserId: null });
		const [{ n }] = await queryRows<{ n: number }>(
			getDb(),
			sql`select count(*)::int as n from notifications where user_id = ${quiet.userId} and kind = 'adoption_nudge'`
		);
		expect(n).toBe(1);
		const mails = await queryRows<{ status: string; subject: string }>(
			getDb(),
			sql`select status, subject from mail_outbox where user_id = ${quiet.userId}`
		);
		expect(mails).toEqual([{ status: 'pending', subject: expect.stringMatching(/^Hoe gaat het met/) }]);
		const [{ status }] = await queryRows<{ status: string }>(getDb(), sql`select status from adoptions where id = ${quiet.adoptionId}`);
		expect(status).toBe('active');
		const [{ m }] = await queryRows<{ m: number }>(
			getDb(),
			sql`select count(*)::int as m from notifications where user_id = ${lively.userId}`
		);
		expect(m).toBe(0);

		// The manager's list shows it as nudged, waiting for their decision.
		const stale = await listStale(getDb(), 8);
		expect(stale.total).toBe(1);
		expect(stale.items.map((s) => s.adoptionId)).toEqual([quiet.adoptionId]);
		expect(stale.items[0].nudgedOn).toBe(new Date().toISOString().slice(0, 10));
	});

	it('leaves a resident who turned reminders off without the mail, but with the notification', async () => {
		const quiet = await quietAdoption(12);
		await getDb().execute(sql`insert into notification_preferences (user_id, muted_email_topics) values (${quiet.userId}, '{reminders}')`);
		expect(await nudgeQuietAdoptions(getDb(), 8)).toBeGreaterThanOrEqual(1);
		const [{ mails }] = await queryRows<{ mails: number }>(getDb(), sql`select count(*)::int as mails from mail_outbox where user_id = ${quiet.userId}`);
		const [{ notes }] = await queryRows<{ notes: number }>(getDb(), sql`select count(*)::int as notes from notifications where user_id = ${quiet.userId}`);
		expect({ mails, notes }).toEqual({ mails: 0, notes: 1 });
	});

	it('counts logged care as a sign of life: a cared-for plot is never nudged, a deleted entry does not count', async () => {
		const cared = await quietAdoption(20);
		await logCare(cared, 3);
		const deletedOnly = await quietAdoption(20);
		await logCare(deletedOnly, 3, true);
		const caredLongAgo = await quietAdoption(30);
		await logCare(caredLongAgo, 7 * 12);

		const stale = await listStale(getDb(), 8, { pageSize: 100 });
		const ids = stale.items.map((s) => s.adoptionId);
		expect(ids).not.toContain(cared.adoptionId);
		expect(ids).toContain(deletedOnly.adoptionId);
		// Quiet since its last care, not since its start.
		const longAgo = stale.items.find((s) => s.adoptionId === caredLongAgo.adoptionId);
		expect(longAgo?.weeksQuiet).toBe(12);

		await nudgeQuietAdoptions(getDb(), 8);
		const [{ n }] = await queryRows<{ n: number }>(
			getDb(),
			sql`select count(*)::int as n from notifications where user_id = ${cared.userId}`
		);
		expect(n).toBe(0);
	});
});

import { sql } from 'drizzle-orm';
import { OPEN_STATUSES } from '#lib/domain/adoption.js';
import { ACTIVITY_EDIT_DAYS, localDay, type ActivityTask } from '#lib/domain/activity.js';
import { adoptionStatusSql, queryRows, sqlList, type Database } from '#server/db';
import { tasksArray } from './log';

/**
 * The demo resident's own plot, so a newcomer can try the care log at once instead of waiting
 * for a manager to approve a request: one running adoption and a few entries of the last
 * weeks. ONLY in demo mode (the caller checks config.demo).
 */
export const DEMO_ADOPTION_DAYS_AGO = 42;

/**
 * The entries, by how many days ago they were done (and written). One is a day past the
 * edit window on every start, so the demo (and its browser test) shows what an adopter is
 * told about an entry that can no longer be changed.
 */
export const DEMO_CARE: ReadonlyArray<{ daysAgo: number; tasks: ActivityTask[]; minutes: number; people: number; note: string }> = [
	{ daysAgo: 30, tasks: ['weeding', 'litter'], minutes: 60, people: 2, note: 'Demo: onkruid gewied en zwerfafval opgeruimd.' },
	{ daysAgo: ACTIVITY_EDIT_DAYS + 1, tasks: ['watering'], minutes: 20, people: 1, note: 'Demo: water gegeven na een droge week.' },
	{ daysAgo: 4, tasks: ['weeding', 'watering'], minutes: 45, people: 1, note: 'Demo: onkruid langs de rand weggehaald.' }
];

export type DemoCareResult = { seeded: false } | { seeded: true; plotId: number; entries: number };

/**
 * Gives the demo resident (by e-mail; the demo accounts are seeded first) an adoption of the
 * lowest-numbered plot nobody has asked for, and DEMO_CARE on it. Only once: a resident who
 * has ever had an adoption, also one ended in the demo, is left as they are, so it is safe on
 * every start. The entries' days count back from the first start; later starts leave them.
 */
export async function seedDemoCare(database: Database, residentEmail: string, now = new Date()): Promise<DemoCareResult> {
	return database.db.transaction(async (tx) => {
		const [resident] = await queryRows<{ id: string; adopted: boolean }>(
			tx,
			sql`SELECT u.id, EXISTS (SELECT 1 FROM adoptions a WHERE a.user_id = u.id) AS adopted
				FROM users u WHERE u.email = ${residentEmail} AND u.demo`
		);
		if (!resident || resident.adopted) return { seeded: false };
		const [plot] = await queryRows<{ id: number }>(
			tx,
			sql`SELECT p.id FROM plots p
				WHERE p.status = 'active' AND p.adoptable AND p.retired_at IS NULL
					AND NOT EXISTS (SELECT 1 FROM adoptions a WHERE a.plot_id = p.id AND a.status IN ${sqlList(OPEN_STATUSES)})
				ORDER BY p.id LIMIT 1 FOR UPDATE`
		);
		if (!plot) return { seeded: false };
		const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * 86_400_000);
		const started = at(DEMO_ADOPTION_DAYS_AGO).toISOString();
		const [adoption] = await queryRows<{ id: number }>(
			tx,
			sql`INSERT INTO adoptions (plot_id, user_id, status, motivation, agreement_version, created_at, updated_at, started_at)
				VALUES (${plot.id}, ${resident.id}, ${adoptionStatusSql('active')},
					'Demo: klaargezet, zodat u het onderhoud vastleggen meteen kunt proberen.',
					(SELECT max(version) FROM adoption_agreements), ${started}, ${started}, ${started})
				RETURNING id`
		);
		await tx.execute(
			sql`INSERT INTO adoption_events (adoption_id, from_status, to_status, actor_role, reason, created_at)
				VALUES (${adoption.id}, NULL, ${adoptionStatusSql('active')}, 'system', 'Demo', ${started})`
		);
		for (const entry of DEMO_CARE) {
			const written = at(entry.daysAgo);
			await tx.execute(
				sql`INSERT INTO activities (plot_id, adoption_id, author_user_id, done_on, tasks, minutes, people, note, idempotency_key, created_at, updated_at)
					VALUES (${plot.id}, ${adoption.id}, ${resident.id}, ${localDay(written)}::date,
						${tasksArray(entry.tasks)}, ${entry.minutes}, ${entry.people}, ${entry.note},
						${`demo-care-${adoption.id}-${entry.daysAgo}`}, ${written.toISOString()}, ${written.toISOString()})`
			);
		}
		return { seeded: true, plotId: plot.id, entries: DEMO_CARE.length };
	});
}

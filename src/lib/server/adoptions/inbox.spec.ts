import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { upsertAccount } from '#server/auth';
import { getDb, queryRows, type Db } from '#server/db';
import { parseInboxFilter } from '#lib/domain/inbox-filter.js';
import { listInbox, type HistoryItem } from './inbox';

/**
 * A manager's desk with 400 open requests, on the real database (both kinds): every request
 * reachable through pages with a total, filters and pages together, and each requester's
 * history the same as one query per request used to give — in a fixed number of queries.
 */

const REQUESTS = 400;
const USERS = 20;
/** Request #HISTORIAN is the only open one of a resident with a past; #TEAM_REQUEST is a team's. */
const HISTORIAN = 123;
const TEAM_REQUEST = 321;

const seeded = {
	/** Adoption ids of the 400 requests, oldest first. */
	requests: [] as number[],
	/** Which of them lie in the neighbourhood "Hof" (every fourth). */
	inHof: new Set<number>(),
	hof: 0,
	historianRequest: 0,
	historianPast: [] as number[],
	teamRequest: 0,
	teamPast: 0
};

const filter = (query = '') => parseInboxFilter(new URLSearchParams(query));
const inbox = (query = '', db: Db = getDb()) => listInbox(db, filter(query));

/** `count` plots in a row; every fourth (i = 0, 4, ...) in `everyFourth`, the others in `rest`. */
async function plotsFor(count: number, prefix: string, everyFourth: number, rest: number): Promise<number[]> {
	const rows = await queryRows<{ id: number; i: number }>(
		getDb(),
		sql`INSERT INTO plots (source_id, dataset, kind, area_m2, neighbourhood_id, geom, label_point)
			SELECT ${prefix} || i, 'test', 'groenvoorziening', 20,
				CASE WHEN i % 4 = 0 THEN ${everyFourth}::int ELSE ${rest}::int END,
				ST_Multi(ST_MakeEnvelope(4.3 + i * 0.0001, 52.0, 4.30005 + i * 0.0001, 52.00005, 4326)),
				ST_SetSRID(ST_MakePoint(4.300025 + i * 0.0001, 52.000025), 4326)
			FROM generate_series(0, ${count - 1}) AS i
			RETURNING id, substring(source_id FROM ${prefix.length + 1}::int)::int AS i`
	);
	return rows.sort((a, b) => a.i - b.i).map((r) => r.id);
}

async function adoption(plotId: number, userId: string, status: string, teamId: number | null = null): Promise<number> {
	const [row] = await queryRows<{ id: number }>(
		getDb(),
		sql`INSERT INTO adoptions (plot_id, user_id, team_id, status, created_at, started_at)
			VALUES (${plotId}, ${userId}, ${teamId}, ${status}, now() - interval '60 days',
				CASE WHEN ${status} IN ('active', 'ended') THEN now() - interval '50 days' END)
			RETURNING id`
	);
	return row.id;
}

async function events(adoptionId: number, ...statuses: string[]): Promise<void> {
	let from: string | null = null;
	for (const to of statuses) {
		await getDb().execute(
			sql`INSERT INTO adoption_events (adoption_id, from_status, to_status, actor_role) VALUES (${adoptionId}, ${from}, ${to}, 'resident')`
		);
		from = to;
	}
}

beforeAll(async () => {
	const db = getDb();
	const [hof, west] = await queryRows<{ id: number }>(
		db,
		sql`INSERT INTO neighbourhoods (source_key, code, name, area_m2, geom, label_point)
			SELECT k, k, name, 1, ST_Multi(ST_MakeEnvelope(4.3, 52.0, 4.4, 52.1, 4326)), ST_SetSRID(ST_MakePoint(4.35, 52.05), 4326)
			FROM (VALUES ('BU-HOF', 'Hof'), ('BU-WEST', 'West')) AS v(k, name) ORDER BY k RETURNING id`
	);
	seeded.hof = hof.id;
	const users: string[] = [];
	for (let k = 0; k < USERS; k++) {
		users.push((await upsertAccount(db, { email: `aanvrager-${k}@voorbeeld.nl`, emailVerified: true })).id);
	}
	const historian = (await upsertAccount(db, { email: 'historicus@voorbeeld.nl', emailVerified: true })).id;
	const [team] = await queryRows<{ id: number }>(db, sql`INSERT INTO teams (kind, name) VALUES ('street', 'Buren van de Hof') RETURNING id`);
	await db.execute(sql`INSERT INTO team_members (team_id, user_id, role) VALUES (${team.id}, ${historian}, 'owner')`);

	const plots = await plotsFor(REQUESTS, 'inbox-', hof.id, west.id);
	// One statement for all 400: request i asked (400 - i) hours and a half ago, so i = 0 is oldest.
	const tuples = plots.map((plotId, i) => {
		const userId = i === HISTORIAN || i === TEAM_REQUEST ? historian : users[i % USERS];
		const teamId = i === TEAM_REQUEST ? team.id : null;
		return sql`(${plotId}, ${userId}, ${teamId}::int, 'requested', now() - make_interval(hours => ${REQUESTS - i}) - interval '30 minutes')`;
	});
	const rows = await queryRows<{ id: number; plotId: number }>(
		db,
		sql`INSERT INTO adoptions (plot_id, user_id, team_id, status, created_at)
			VALUES ${sql.join(tuples, sql`, `)} RETURNING id, plot_id AS "plotId"`
	);
	const byPlot = new Map(rows.map((r) => [r.plotId, r.id]));
	seeded.requests = plots.map((p) => byPlot.get(p)!);
	plots.forEach((_, i) => i % 4 === 0 && seeded.inHof.add(seeded.requests[i]));
	seeded.historianRequest = seeded.requests[HISTORIAN];
	seeded.teamRequest = seeded.requests[TEAM_REQUEST];

	// The historian's past, on plots of their own: three adoptions alone, one as the team.
	const past = await plotsFor(4, 'past-', west.id, west.id);
	const active = await adoption(past[0], historian, 'active');
	await events(active, 'requested', 'active');
	const ended = await adoption(past[1], historian, 'ended');
	await events(ended, 'requested', 'active', 'ended');
	const rejected = await adoption(past[2], historian, 'rejected');
	await events(rejected, 'requested', 'rejected');
	seeded.historianPast = [rejected, ended, active];
	seeded.teamPast = await adoption(past[3], historian, 'active', team.id);
	await events(seeded.teamPast, 'requested', 'active');
}, 120_000);

describe('manager inbox with 400 open requests', () => {
	it('shows 50 a page with the total; page 1 the oldest, page 8 the last; none twice, none missing', async () => {
		const first = await inbox();
		expect(first).toMatchObject({ total: 400, page: 1, pageSize: 50, pageCount: 8 });
		expect(first.items.map((r) => r.adoptionId)).toEqual(seeded.requests.slice(0, 50));

		const last = await inbox('pagina=8');
		expect(last.page).toBe(8);
		expect(last.items.map((r) => r.adoptionId)).toEqual(seeded.requests.slice(350));

		const seen: number[] = [];
		for (let page = 1; page <= 8; page++) seen.push(...(await inbox(`pagina=${page}`)).items.map((r) => r.adoptionId));
		expect(seen).toEqual(seeded.requests);
		expect(new Set(seen).size).toBe(400);
	});

	it('reads a bad page number as page 1 and a page past the end as the last page', async () => {
		for (const query of ['pagina=abc', 'pagina=-3', 'pagina=0', 'pagina=2.5', 'pagina=1e99', 'pagina=']) {
			expect((await inbox(query)).page, query).toBe(1);
		}
		const beyond = await inbox('pagina=99');
		expect(beyond).toMatchObject({ page: 8, pageCount: 8 });
		expect(beyond.items).toHaveLength(50);
	});

	it('sorts newest first when asked, and takes another page size from the URL', async () => {
		const newest = await inbox('volgorde=nieuw');
		expect(newest.items.map((r) => r.adoptionId)).toEqual(seeded.requests.slice(350).reverse());
		expect(filter('volgorde=onzin').sort).toBe('oldest');

		const small = await inbox('per=10&pagina=40');
		expect(small).toMatchObject({ total: 400, page: 40, pageSize: 10, pageCount: 40 });
		expect(small.items.map((r) => r.adoptionId)).toEqual(seeded.requests.slice(390));
		expect(filter('per=5000').pageSize).toBe(50);
	});

	it('combines the neighbourhood and age filters with pages', async () => {
		const hof = seeded.requests.filter((id) => seeded.inHof.has(id));
		expect(hof).toHaveLength(100);
		const page2 = await inbox(`buurt=${seeded.hof}&pagina=2`);
		expect(page2).toMatchObject({ total: 100, page: 2, pageCount: 2 });
		expect(page2.items.map((r) => r.adoptionId)).toEqual(hof.slice(50));
		expect(page2.items.every((r) => r.neighbourhoodName === 'Hof')).toBe(true);

		// Waiting a week or more: requests asked at least 168 hours ago, i.e. i <= 232.
		const old = seeded.requests.slice(0, 233);
		const aged = await inbox(`ouder=7&pagina=5`);
		expect(aged).toMatchObject({ total: 233, page: 5, pageCount: 5 });
		expect(aged.items.map((r) => r.adoptionId)).toEqual(old.slice(200));

		const both = await inbox(`buurt=${seeded.hof}&ouder=7&volgorde=nieuw&per=25&pagina=3`);
		const expected = old.filter((id) => seeded.inHof.has(id)).reverse();
		expect(both).toMatchObject({ total: expected.length, page: 3, pageCount: Math.ceil(expected.length / 25) });
		expect(both.items.map((r) => r.adoptionId)).toEqual(expected.slice(50, 75));
	});

	it("shows a requester's other adoptions and recent events, not the request itself", async () => {
		const page = await inbox(`pagina=${Math.floor(HISTORIAN / 50) + 1}`);
		const request = page.items.find((r) => r.adoptionId === seeded.historianRequest)!;
		expect(request.history.map((h) => [h.adoptionId, h.status])).toEqual([
			[seeded.historianPast[0], 'rejected'],
			[seeded.historianPast[1], 'ended'],
			[seeded.historianPast[2], 'active']
		]);
		// Seven events on three adoptions; the newest five (the team's are not theirs alone).
		expect(request.recent.map((e) => e.toStatus)).toEqual(['rejected', 'requested', 'ended', 'active', 'requested']);

		const teamPage = await inbox(`pagina=${Math.floor(TEAM_REQUEST / 50) + 1}`);
		const teamRequest = teamPage.items.find((r) => r.adoptionId === seeded.teamRequest)!;
		expect(teamRequest.team).toEqual({ name: 'Buren van de Hof', kind: 'street' });
		expect(teamRequest.history.map((h) => h.adoptionId)).toEqual([seeded.teamPast]);
		expect(teamRequest.recent.map((e) => e.toStatus)).toEqual(['active', 'requested']);
	});

	it('gives every request the same history as one query per request did, at most 10 and 5', async () => {
		for (let p = 1; p <= 8; p++) {
			for (const item of (await inbox(`pagina=${p}`)).items) {
				expect({ id: item.adoptionId, history: item.history, recent: item.recent }).toEqual({
					id: item.adoptionId,
					...(await historyOneByOne(item.adoptionId))
				});
			}
		}
		// A resident with 20 open requests: the 10 newest others.
		const busy = (await inbox()).items[0];
		expect(busy.history).toHaveLength(10);
		expect(busy.history.every((h) => h.status === 'requested' && h.adoptionId !== busy.adoptionId)).toBe(true);
	});

	it('asks the database the same number of times for 5 requests as for 100', async () => {
		const counts: number[] = [];
		for (const size of [5, 100]) {
			const counted = countingExecute(getDb());
			const page = await inbox(`per=${size}`, counted.db);
			expect(page.items).toHaveLength(size);
			counts.push(counted.count());
		}
		// The count, the page, histories, recent events, and the questions and answers.
		expect(counts).toEqual([5, 5]);
	});
});

/** The db, with every statement it runs counted (queries still go to the real database). */
function countingExecute(db: Db): { db: Db; count: () => number } {
	let n = 0;
	const counted = new Proxy(db, {
		get(target, key, receiver) {
			if (key === 'execute') {
				return (...args: Parameters<Db['execute']>) => {
					n++;
					return target.execute(...args);
				};
			}
			return Reflect.get(target, key, receiver);
		}
	});
	return { db: counted, count: () => n };
}

/** The inbox's history before it was batched: two queries for one request (the reference). */
async function historyOneByOne(requestId: number) {
	const [r] = await queryRows<{ userId: string; teamId: number | null }>(
		getDb(),
		sql`SELECT user_id AS "userId", team_id AS "teamId" FROM adoptions WHERE id = ${requestId}`
	);
	const who = r.teamId !== null ? sql`a.team_id = ${r.teamId}` : sql`a.user_id = ${r.userId} AND a.team_id IS NULL`;
	const history = await queryRows<HistoryItem>(
		getDb(),
		sql`SELECT a.id AS "adoptionId", a.plot_id AS "plotId", a.status,
				to_char(coalesce(a.started_at, a.created_at) AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM-DD') AS since
			FROM adoptions a WHERE ${who} AND a.id <> ${requestId} ORDER BY a.id DESC LIMIT 10`
	);
	const recent = await queryRows<{ plotId: number; toStatus: string; at: string }>(
		getDb(),
		sql`SELECT a.plot_id AS "plotId", e.to_status AS "toStatus",
				to_char(e.created_at AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM-DD') AS at
			FROM adoption_events e JOIN adoptions a ON a.id = e.adoption_id
			WHERE ${who} AND a.id <> ${requestId} ORDER BY e.id DESC LIMIT 5`
	);
	return { history, recent };
}

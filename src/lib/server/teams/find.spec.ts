import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Actor } from '#lib/domain/policy.js';
import { upsertAccount } from '#server/auth';
import { getDb, queryRows } from '#server/db';
import { assignPlot } from '#server/adoptions';
import { findTeams } from './find';

/**
 * Finding a team by name for direct assignment, on the real database (both kinds): part of
 * the name in any case, with member counts; and the team found is the one that gets the offer.
 */
async function team(name: string, members: number): Promise<number> {
	const db = getDb();
	const [row] = await queryRows<{ id: number }>(db, sql`INSERT INTO teams (kind, name) VALUES ('association', ${name}) RETURNING id`);
	for (let k = 0; k < members; k++) {
		const { id } = await upsertAccount(db, { email: `lid-${row.id}-${k}@voorbeeld.nl`, emailVerified: true });
		await db.execute(
			sql`INSERT INTO team_members (team_id, user_id, role) VALUES (${row.id}, ${id}, ${k === 0 ? 'owner' : 'member'})`
		);
	}
	return row.id;
}

describe('team lookup', () => {
	it('finds teams by part of the name, in any case, names starting with it first, with member counts', async () => {
		const hofjes = await team('Hofjesclub', 1);
		const tuinclub = await team('Tuinclub De Hof', 3);
		const buren = await team('Buren van de HOFstraat', 2);
		await team('Schoolplein 50%', 1);
		await team('Vogelwijk', 1);

		const { teams, more } = await findTeams(getDb(), '  hof ');
		expect(teams).toEqual([
			{ id: hofjes, name: 'Hofjesclub', kind: 'association', members: 1 },
			{ id: buren, name: 'Buren van de HOFstraat', kind: 'association', members: 2 },
			{ id: tuinclub, name: 'Tuinclub De Hof', kind: 'association', members: 3 }
		]);
		expect(more).toBe(false);
		// % and _ are letters here, not wildcards.
		expect((await findTeams(getDb(), '50%')).teams.map((t) => t.name)).toEqual(['Schoolplein 50%']);
		expect((await findTeams(getDb(), '_')).teams).toEqual([]);
		expect(await findTeams(getDb(), '   ')).toEqual({ teams: [], more: false });
		// Too many matches: the first ones, and a sign to type more.
		expect(await findTeams(getDb(), 'o', 2)).toMatchObject({ teams: [{ id: buren }, { id: hofjes }], more: true });
	});

	it('offers a plot to the team found by name', async () => {
		const db = getDb();
		const teamId = await team('Straatteam Zuidpoort', 2);
		const { id: managerId } = await upsertAccount(db, { email: 'toewijzer@gemeente.nl', emailVerified: true, role: 'manager' });
		const manager: Actor = {
			id: managerId,
			role: 'manager',
			emailVerified: true,
			neighbourhoodIds: [],
			districtCodes: [],
			partnerOrganisationId: null
		};
		const wkt = 'POLYGON((4.35 52.01, 4.3505 52.01, 4.3505 52.0105, 4.35 52.0105, 4.35 52.01))';
		const [plot] = await queryRows<{ id: number }>(
			db,
			sql`INSERT INTO plots (source_id, dataset, kind, area_m2, geom, label_point)
				VALUES ('toewijzen-1', 'test', 'groenvoorziening', 20, ST_Multi(ST_GeomFromText(${wkt}, 4326)),
					ST_PointOnSurface(ST_GeomFromText(${wkt}, 4326))) RETURNING id`
		);

		const [found] = (await findTeams(db, 'zuidPOORT')).teams;
		expect(found).toMatchObject({ id: teamId, members: 2 });
		await assignPlot(db, manager, { plotId: plot.id, teamId: found.id, note: 'Voor jullie straat' });
		const rows = await queryRows<{ status: string; teamId: number }>(
			db,
			sql`SELECT status, team_id AS "teamId" FROM adoptions WHERE plot_id = ${plot.id}`
		);
		expect(rows).toEqual([{ status: 'offered', teamId }]);
		// Both members hear of it.
		const [{ n }] = await queryRows<{ n: number }>(
			db,
			sql`SELECT count(DISTINCT user_id)::int AS n FROM notifications
				WHERE kind = 'adoption_offered' AND user_id IN (SELECT user_id FROM team_members WHERE team_id = ${teamId})`
		);
		expect(n).toBe(2);
	});
});

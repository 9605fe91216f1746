import path from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDatabase, queryRows } from '#server/db';
import { loadMunicipality } from '#server/municipality';
import { seedDemoAccounts } from '#server/auth';
import { seedDemoIfEmpty } from './seed';

describe('seedDemoIfEmpty', () => {
	const municipality = loadMunicipality(path.resolve('db/seed/municipality.json'));

	async function counts() {
		const [row] = await queryRows<{ plots: number; buurten: number; placed: number; adoptable: number; runs: number }>(
			getDatabase().db,
			sql`select (select count(*) from plots)::int as plots,
			           (select count(*) from neighbourhoods)::int as buurten,
			           (select count(*) from plots where neighbourhood_id is not null)::int as placed,
			           (select count(*) from plots where adoptable)::int as adoptable,
			           (select count(*) from import_runs)::int as runs`
		);
		return row;
	}

	it('loads the Delft demo into an empty database once, and leaves it alone after that', async () => {
		const database = getDatabase();
		expect(await counts()).toEqual({ plots: 0, buurten: 0, placed: 0, adoptable: 0, runs: 0 });
		const started = Date.now();
		expect(await seedDemoIfEmpty(database, municipality, process.cwd())).toEqual({
			seeded: true,
			neighbourhoods: 91,
			plots: 126,
			// The BGT basemap: 160 buildings, 151 road parts, 3 water, 81 terrain, 57 walls, 3 bridges.
			basemap: 455
		});
		const seconds = (Date.now() - started) / 1000;
		expect(await counts()).toEqual({ plots: 126, buurten: 91, placed: 126, adoptable: 126, runs: 8 });
		// A demo start must not wait long for its data (about 1 s measured on both databases).
		expect(seconds).toBeLessThan(10);
		const [dataset] = await queryRows<{ dataset: string }>(database.db, sql`select distinct dataset from plots`);
		expect(dataset.dataset).toBe('bgt-delft');

		expect(await seedDemoIfEmpty(database, municipality, process.cwd())).toEqual({ seeded: false });
		expect(await counts()).toEqual({ plots: 126, buurten: 91, placed: 126, adoptable: 126, runs: 8 });
	});

	it('gives a demo database from before the basemap its basemap once, and only once', async () => {
		const database = getDatabase();
		await database.db.execute(sql`delete from basemap_features`);
		await database.db.execute(sql`delete from import_runs where target = 'basemap'`);
		expect(await seedDemoIfEmpty(database, municipality, process.cwd())).toEqual({ seeded: true, basemap: 455 });
		// An operator who empties the basemap on purpose keeps it empty.
		await database.db.execute(sql`delete from basemap_features`);
		expect(await seedDemoIfEmpty(database, municipality, process.cwd())).toEqual({ seeded: false });
		expect(await counts()).toEqual({ plots: 126, buurten: 91, placed: 126, adoptable: 126, runs: 8 });
	});

	it('scopes the demo platform account to the buurten that hold the demo plots, so it sees them all', async () => {
		const database = getDatabase();
		await seedDemoAccounts(database);
		const [user] = await queryRows<{ id: string; role: string }>(
			database.db,
			sql`select id, role from users where email = 'gebiedsplatform@demo.perkje.invalid'`
		);
		expect(user.role).toBe('platform');
		const [{ seen, buurten }] = await queryRows<{ seen: number; buurten: number }>(
			database.db,
			sql`select count(*)::int as seen, count(distinct p.neighbourhood_id)::int as buurten
			    from plots p join neighbourhoods n on n.id = p.neighbourhood_id
			    where p.status = 'active' and exists (
			      select 1 from staff_areas a where a.user_id = ${user.id}
			        and (a.neighbourhood_id = n.id or a.district_code = n.district_code))`
		);
		expect(seen).toBe(126);
		expect(buurten).toBeGreaterThan(0);
		// No buurt without plots in its scope: what it covers, it can see something of.
		const [{ empty }] = await queryRows<{ empty: number }>(
			database.db,
			sql`select count(*)::int as empty from staff_areas a join neighbourhoods n on n.id = a.neighbourhood_id
			    where a.user_id = ${user.id} and not exists (select 1 from plots p where p.neighbourhood_id = n.id)`
		);
		expect(empty).toBe(0);
	});
});

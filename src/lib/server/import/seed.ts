import path from 'node:path';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../db';
import type { Municipality } from '../municipality';
import { importNeighbourhoods } from './neighbourhoods';
import { importPlots } from './plots';

export interface SeedResult {
	seeded: boolean;
	neighbourhoods?: number;
	plots?: number;
}

/**
 * Loads the municipality's demo data (db/seed) into an empty database: neighbourhoods
 * first, so the plots find theirs as they arrive; only the municipality's own plots are
 * adoptable. One transaction, so a failed seed leaves the database empty and the next
 * start tries again. A database that has any plot or neighbourhood is left alone.
 */
export async function seedDemoIfEmpty(
	database: Database,
	municipality: Municipality,
	projectRoot: string
): Promise<SeedResult> {
	const demo = municipality.demo;
	if (!demo) return { seeded: false };
	const [row] = await queryRows<{ empty: boolean }>(
		database.db,
		sql`select not exists (select 1 from plots) and not exists (select 1 from neighbourhoods) as empty`
	);
	if (!row.empty) return { seeded: false };
	const file = (f: string) => path.resolve(projectRoot, f);
	return database.db.transaction(async (tx) => {
		let neighbourhoods = 0;
		let plots = 0;
		for (const item of demo.neighbourhoods) {
			const s = await importNeighbourhoods(tx, { file: file(item.file) }, { crs: item.crs });
			neighbourhoods += s.new + s.updated + s.unchanged;
		}
		for (const item of demo.plots) {
			const s = await importPlots(
				tx,
				{ file: file(item.file) },
				{ crs: item.crs, dataset: item.dataset, owner: municipality.bgtOwner }
			);
			plots += s.new + s.updated + s.unchanged;
		}
		return { seeded: true, neighbourhoods, plots };
	});
}

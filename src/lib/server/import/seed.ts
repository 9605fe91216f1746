import path from 'node:path';
import { sql } from 'drizzle-orm';
import { queryRows, type Database, type Tx } from '#server/db';
import { importBounds, type Municipality } from '#server/municipality';
import { importBasemap } from './basemap';
import { importNeighbourhoods } from './neighbourhoods';
import { importPlots } from './plots';

export interface SeedResult {
	seeded: boolean;
	neighbourhoods?: number;
	plots?: number;
	basemap?: number;
}

type Demo = NonNullable<Municipality['demo']>;

async function seedBasemap(tx: Tx, municipality: Municipality, demo: Demo, file: (f: string) => string): Promise<number> {
	let features = 0;
	for (const item of demo.basemap) {
		const s = await importBasemap(
			tx,
			{ file: file(item.file) },
			{ crs: item.crs, dataset: item.dataset, ...importBounds(municipality) }
		);
		features += s.new + s.updated + s.unchanged;
	}
	return features;
}

/**
 * Loads the municipality's demo data (db/seed) into an empty database: neighbourhoods
 * first, so the plots find theirs as they arrive; only the municipality's own plots are
 * adoptable; then the basemap. One transaction, so a failed seed leaves the database empty
 * and the next start tries again. A database that has any plot or neighbourhood is left
 * alone, except that a demo database from before the basemap existed gets it once (no
 * basemap import has ever run there).
 */
export async function seedDemoIfEmpty(
	database: Database,
	municipality: Municipality,
	projectRoot: string
): Promise<SeedResult> {
	const demo = municipality.demo;
	if (!demo) return { seeded: false };
	const [row] = await queryRows<{ empty: boolean; basemap_never: boolean }>(
		database.db,
		sql`select not exists (select 1 from plots) and not exists (select 1 from neighbourhoods) as empty,
		           not exists (select 1 from import_runs where target = 'basemap'
		                          and summary->>'outcome' is distinct from 'refused'
		                          and summary->>'outcome' is distinct from 'failed') as basemap_never`
	);
	const file = (f: string) => path.resolve(projectRoot, f);
	if (!row.empty) {
		if (!row.basemap_never || demo.basemap.length === 0) return { seeded: false };
		const basemap = await database.db.transaction((tx) => seedBasemap(tx, municipality, demo, file));
		return { seeded: true, basemap };
	}
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
				{ crs: item.crs, dataset: item.dataset, owner: municipality.bgtOwner, ...importBounds(municipality) }
			);
			plots += s.new + s.updated + s.unchanged;
		}
		const basemap = await seedBasemap(tx, municipality, demo, file);
		return { seeded: true, neighbourhoods, plots, basemap };
	});
}

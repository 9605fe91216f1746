/**
 * `npm run bench:basemap`: the BGT basemap tiles (/tiles/basemap) of the demo area, on a fresh
 * embedded database and (with BENCH_DATABASE_URL or DATABASE_URL) on PostgreSQL, both with the
 * demo loaded as a first start loads it. Per zoom 14–17: how many tiles hold basemap features,
 * their size (raw and gzipped, as the endpoint sends it) and the render time without cache
 * (the service's renderer: ST_AsMVT on PostgreSQL, geojson-vt on the embedded database).
 *
 * Options: --rounds N (renders per tile, default 5) --only postgres|embedded
 */
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { tileForPoint, type TileCoord } from '#lib/geo/tiles.js';
import { queryRows } from '#server/db';
import { seedDemoIfEmpty } from '#server/import';
import { loadMunicipality } from '#server/municipality';
import { createTileService } from '#server/tiles';
import { benchPostgresUrl, freshEmbeddedDatabase, freshPostgresDatabase, type BenchDatabase } from './lib/databases';
import { summarize, timed } from './lib/stats';
import { int, ms, printTable, seconds } from './lib/table';

const ZOOMS = [14, 15, 16, 17];
const { values } = parseArgs({ options: { rounds: { type: 'string' }, only: { type: 'string' } } });
const rounds = Number(values.rounds ?? 5);

/** Every tile at z that the basemap's extent touches. */
function tilesOver(bounds: { w: number; s: number; e: number; n: number }, z: number): TileCoord[] {
	const nw = tileForPoint(bounds.w, bounds.n, z);
	const se = tileForPoint(bounds.e, bounds.s, z);
	const tiles: TileCoord[] = [];
	for (let x = nw.x; x <= se.x; x++) for (let y = nw.y; y <= se.y; y++) tiles.push({ z, x, y });
	return tiles;
}

async function run(bench: BenchDatabase) {
	const { database } = bench;
	const seeding = await timed(() => seedDemoIfEmpty(database, loadMunicipality('db/seed/municipality.json'), process.cwd()));
	const [bounds] = await queryRows<{ w: number; s: number; e: number; n: number; features: number }>(
		database.db,
		sql`SELECT ST_XMin(ST_Extent(geom)) AS w, ST_YMin(ST_Extent(geom)) AS s, ST_XMax(ST_Extent(geom)) AS e,
			ST_YMax(ST_Extent(geom)) AS n, count(*)::int AS features FROM basemap_features`
	);
	const service = createTileService({ database: () => database });
	const rows = [];
	for (const z of ZOOMS) {
		const times: number[] = [];
		const sizes: number[] = [];
		const gzipped: number[] = [];
		let nonEmpty = 0;
		const tiles = tilesOver(bounds, z);
		for (const tile of tiles) {
			await service.render('basemap', tile); // warm the query plan and the file cache
			let body: Uint8Array | null = null;
			for (let i = 0; i < rounds; i++) {
				const t = await timed(() => service.render('basemap', tile));
				times.push(t.ms);
				body = t.value;
			}
			if (!body) continue;
			nonEmpty++;
			sizes.push(body.length);
			gzipped.push(gzipSync(body, { level: 6 }).length);
		}
		const time = summarize(times);
		const size = summarize(sizes);
		rows.push([
			z,
			`${nonEmpty}/${tiles.length}`,
			int(size.p50),
			int(size.max),
			int(summarize(gzipped).max),
			ms(time.p50),
			ms(time.p95),
			ms(time.max)
		]);
	}
	printTable(
		`${bench.label}: basemap tiles of the demo (${bounds.features} BGT features; demo seed ${seconds(seeding.ms)})`,
		['zoom', 'tiles', 'bytes p50', 'bytes max', 'gzip max', 'render p50', 'render p95', 'render max'],
		rows
	);
}

const pgUrl = benchPostgresUrl();
if (values.only !== 'embedded' && pgUrl) {
	const bench = await freshPostgresDatabase(pgUrl, 'basemap');
	try {
		await run(bench);
	} finally {
		await bench.drop();
	}
}
if (values.only !== 'postgres') {
	const bench = await freshEmbeddedDatabase('basemap');
	try {
		await run(bench);
	} finally {
		await bench.drop();
	}
}

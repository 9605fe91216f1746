/**
 * `npm run bench:care`: the manager's side of the care log on a generated city (PostgreSQL +
 * PostGIS from BENCH_DATABASE_URL or DATABASE_URL).
 *
 * 200,000 generated plots over Delft's neighbourhoods, one in ten adopted (a tenth of those by
 * a team), and 1,000,000 care entries (generate_series) spread over nine in ten of the
 * adoptions and the last two years, one in twenty deleted. Then, in the same run:
 *   - uncached tiles at zooms 12–17: the map of care's tile (/tiles/care) against the plain plot
 *     tile (/tiles/plots) of the same place, both through the endpoint with its cache off,
 *     interleaved; p50 and p95 of each and their ratio (aim: care ≤ 1.2 × plots);
 *   - the contributions table for a year, per neighbourhood and per group/adopter (aim ≤ 300 ms),
 *     against reading the year's entries at all (a covering index of the period was tried and
 *     measured no faster once both ran on an equally warm cache: no migration for it);
 *   - the map of care's list (first page, and a neighbourhood's).
 *
 * Options: --plots N (default 200000) --activities N (default 1000000) --tiles N (per zoom, default 20)
 *          --skip-tiles (only the contributions and the list) --keep (leave the database, to explain its queries)
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { localDay } from '#lib/domain/activity.js';
import { parseCareMapFilter } from '#lib/domain/care-manage.js';
import { tileForPoint, type TileCoord } from '#lib/geo/tiles.js';
import { queryRows, type Database } from '#server/db';
import { importPlots } from '#server/import';
import { listCareMap, listContributions } from '#server/activities';
import { CARE_MIN_ZOOM, createTileService, tileResponse, type TilesetName } from '#server/tiles';
import { benchArgs } from './lib/args';
import { benchPostgresUrl, freshPostgresDatabase, importDelftNeighbourhoods } from './lib/databases';
import { summarize, timed } from './lib/stats';
import { syntheticPlotsFile } from './lib/synthetic';
import { int, ms, printTable, seconds } from './lib/table';

// The map of care has tiles from CARE_MIN_ZOOM on (src/lib/server/tiles/layers.ts says why).
const ZOOMS = [12, 13, 14, 15, 16, 17].filter((z) => z >= CARE_MIN_ZOOM);
const BROWSER_HEADERS = { 'accept-encoding': 'gzip, deflate, br' };

const Args = z.object({
	plots: z.coerce.number().int().min(1000).default(200_000),
	activities: z.coerce.number().int().min(1000).default(1_000_000),
	tiles: z.coerce.number().int().min(1).max(200).default(20),
	skipTiles: z.boolean().default(false),
	keep: z.boolean().default(false)
});

/** Adopters, teams, adoptions and entries, all in SQL. */
async function fillCareLog(database: Database, activities: number): Promise<void> {
	const db = database.db;
	await db.execute(sql`INSERT INTO users (id, email, email_verified, display_name)
		SELECT 'bench-u-' || g, 'adoptant' || g || '@bench.invalid', true, CASE WHEN g % 3 = 0 THEN 'Adoptant ' || g END
		FROM generate_series(1, 5000) g`);
	await db.execute(sql`INSERT INTO teams (kind, name, created_by) SELECT 'street', 'Groep ' || g, 'bench-u-' || g FROM generate_series(1, 300) g`);
	await db.execute(sql`INSERT INTO adoptions (plot_id, user_id, team_id, status, started_at)
		SELECT p.id, 'bench-u-' || (1 + p.id % 5000), CASE WHEN p.id % 100 = 0 THEN (SELECT min(id) FROM teams) + p.id % 300 END,
			'active', now() - interval '3 years'
		FROM plots p WHERE p.id % 10 = 0`);
	// Entries on nine in ten of the adoptions (the rest were never cared for), spread by a
	// multiplicative hash; days spread over two years.
	await db.execute(sql`
		WITH ad AS (SELECT id, plot_id, user_id, team_id, (row_number() OVER (ORDER BY id) - 1)::bigint AS rn FROM adoptions),
			n AS (SELECT (count(*) * 9 / 10)::bigint AS c FROM adoptions)
		INSERT INTO activities (plot_id, adoption_id, team_id, author_user_id, done_on, tasks, minutes, people, deleted_at)
		SELECT ad.plot_id, ad.id, ad.team_id, ad.user_id, current_date - ((g * 7919) % 730)::int, ARRAY['weeding'],
			15 + (g % 16) * 15, 1 + (g % 4), CASE WHEN g % 20 = 0 THEN now() END
		FROM generate_series(0, ${activities - 1}::bigint) g
		JOIN ad ON ad.rn = (g * 2654435761) % (SELECT c FROM n)`);
}

/** Tiles over adopted plots, in a fixed pseudo-random order. */
async function sampleTiles(database: Database, perZoom: number): Promise<Map<number, TileCoord[]>> {
	const points = await queryRows<{ lng: number; lat: number }>(
		database.db,
		sql`SELECT ST_X(p.label_point) AS lng, ST_Y(p.label_point) AS lat FROM plots p JOIN adoptions a ON a.plot_id = p.id
			ORDER BY md5(p.id::text) LIMIT 5000`
	);
	const byZoom = new Map<number, TileCoord[]>();
	for (const zoom of ZOOMS) {
		const seen = new Map<string, TileCoord>();
		for (const p of points) {
			const t = tileForPoint(p.lng, p.lat, zoom);
			seen.set(`${t.x}/${t.y}`, t);
			if (seen.size >= perZoom) break;
		}
		byZoom.set(zoom, [...seen.values()]);
	}
	return byZoom;
}

interface TileRow {
	zoom: number;
	tiles: number;
	care: number[];
	plots: number[];
	careBytes: number;
	plotBytes: number;
}

async function measureTiles(database: Database, tiles: Map<number, TileCoord[]>, minSamples: number): Promise<TileRow[]> {
	const service = createTileService({ database: () => database, cacheBytes: 0 });
	const endpoint = async (tileset: TilesetName, t: TileCoord) => {
		const res = await tileResponse(
			new Request(`http://localhost/tiles/${tileset}/${t.z}/${t.x}/${t.y}.mvt`, { headers: BROWSER_HEADERS }),
			tileset,
			{ z: String(t.z), x: String(t.x), y: String(t.y) },
			service
		);
		return res.status === 200 ? (await res.arrayBuffer()).byteLength : 0;
	};
	const rows: TileRow[] = [];
	for (const zoom of ZOOMS) {
		const list = tiles.get(zoom) ?? [];
		const row: TileRow = { zoom, tiles: list.length, care: [], plots: [], careBytes: 0, plotBytes: 0 };
		for (const t of list) {
			// Warms the database's buffers for both, and gives the sizes.
			row.careBytes = Math.max(row.careBytes, await endpoint('care', t));
			row.plotBytes = Math.max(row.plotBytes, await endpoint('plots', t));
		}
		const rounds = Math.max(1, Math.ceil(minSamples / Math.max(1, list.length)));
		for (let r = 0; r < rounds; r++) {
			for (const [i, t] of list.entries()) {
				// Alternate which goes first, so neither always meets the warmer cache.
				const order: TilesetName[] = (r + i) % 2 === 0 ? ['care', 'plots'] : ['plots', 'care'];
				for (const tileset of order) {
					const { ms: took } = await timed(() => endpoint(tileset, t));
					(tileset === 'care' ? row.care : row.plots).push(took);
				}
			}
		}
		rows.push(row);
		process.stdout.write(`  z${zoom}: ${list.length} tiles, ${row.care.length} samples each\n`);
	}
	return rows;
}

async function repeat(times: number, fn: () => Promise<unknown>): Promise<number[]> {
	await fn();
	await fn();
	const samples: number[] = [];
	for (let i = 0; i < times; i++) samples.push((await timed(fn)).ms);
	return samples;
}

async function main(): Promise<void> {
	const args = benchArgs('bench:care', Args, ['plots', 'activities', 'tiles'], ['skip-tiles', 'keep']);
	const pgUrl = benchPostgresUrl();
	if (!pgUrl) {
		console.log('bench:care: SKIPPED — no server given. Set BENCH_DATABASE_URL (or DATABASE_URL), e.g. BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5433/postgres npm run bench:care');
		return;
	}
	const file = await syntheticPlotsFile(args.plots);
	const bench = await freshPostgresDatabase(pgUrl, 'care');
	try {
		const { database } = bench;
		console.log(`${bench.label}: loading ${int(args.plots)} plots and ${int(args.activities)} entries…`);
		const setup = await timed(async () => {
			await importDelftNeighbourhoods(database);
			await importPlots(database.db, { file }, { owner: 'G0503' });
			await fillCareLog(database, args.activities);
			// As after an import: a vacuum marks the new pages all-visible (index-only scans).
			for (const table of ['plots', 'neighbourhoods', 'adoptions', 'activities', 'users', 'teams']) {
				await database.db.execute(sql.raw(`VACUUM (ANALYZE) ${table}`));
			}
		});
		const [counts] = await queryRows<{ plots: number; adoptions: number; activities: number; lastYear: number }>(
			database.db,
			sql`SELECT (SELECT count(*)::int FROM plots) AS plots, (SELECT count(*)::int FROM adoptions) AS adoptions,
				(SELECT count(*)::int FROM activities) AS activities,
				(SELECT count(*)::int FROM activities WHERE deleted_at IS NULL AND done_on > current_date - 365) AS "lastYear"`
		);
		console.log(`  ${int(counts.plots)} plots, ${int(counts.adoptions)} adoptions, ${int(counts.activities)} entries (${int(counts.lastYear)} in the last year) in ${seconds(setup.ms)} s`);

		console.log('  uncached tiles, care vs plots:');
		const tiles = args.skipTiles ? [] : await measureTiles(database, await sampleTiles(database, args.tiles), 60);

		const today = localDay(new Date());
		const yearAgo = localDay(new Date(Date.now() - 364 * 24 * 3600 * 1000));
		// The baseline: reading the year's entries at all, the least any table of them costs.
		const yearScan = () => database.db.execute(sql`SELECT count(*), sum(minutes * people) FROM activities
			WHERE deleted_at IS NULL AND done_on BETWEEN ${yearAgo}::date AND ${today}::date`);
		const measureContributions = async () => ({
			scan: await repeat(10, yearScan),
			neighbourhood: await repeat(10, () => listContributions(database.db, { from: yearAgo, to: today, by: 'neighbourhood' })),
			adopter: await repeat(10, () => listContributions(database.db, { from: yearAgo, to: today, by: 'adopter' }))
		});
		const contributions = await measureContributions();
		const [{ id: someNeighbourhood }] = await queryRows<{ id: number }>(
			database.db,
			sql`SELECT p.neighbourhood_id AS id FROM plots p JOIN adoptions a ON a.plot_id = p.id WHERE p.neighbourhood_id IS NOT NULL
				GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`
		);
		const list = {
			all: await repeat(10, () => listCareMap(database.db, parseCareMapFilter(new URLSearchParams()))),
			neighbourhood: await repeat(10, () => listCareMap(database.db, parseCareMapFilter(new URLSearchParams({ buurt: String(someNeighbourhood) }))))
		};

		printTable(
			`Uncached tiles, map of care against the plot tile of the same place (${bench.label}, ${int(counts.plots)} plots, ${int(counts.adoptions)} adopted, ${int(counts.activities)} entries; ms)`,
			['zoom', 'tiles', 'samples', 'plots p50', 'care p50', 'care/plots p50', 'plots p95', 'care p95', 'care/plots p95', 'largest plots KB', 'largest care KB'],
			tiles.map((r) => {
				const [c, p] = [summarize(r.care), summarize(r.plots)];
				return [
					`z${r.zoom}`,
					r.tiles,
					r.care.length,
					ms(p.p50),
					ms(c.p50),
					`${(c.p50 / p.p50).toFixed(2)}×`,
					ms(p.p95),
					ms(c.p95),
					`${(c.p95 / p.p95).toFixed(2)}×`,
					(r.plotBytes / 1024).toFixed(1),
					(r.careBytes / 1024).toFixed(1)
				];
			})
		);
		const line = (label: string, samples: number[], baseline?: number[]) => {
			const s = summarize(samples);
			return [label, s.n, ms(s.p50), ms(s.p95), ms(s.max), baseline ? `${(s.p50 / summarize(baseline).p50).toFixed(2)}×` : null];
		};
		printTable(
			`Contributions for a year (${yearAgo} – ${today}) and the map of care's list (ms)`,
			['query', 'runs', 'p50', 'p95', 'max', 'p50 / baseline'],
			[
				line('baseline: reading the year’s entries', contributions.scan),
				line('contributions per neighbourhood', contributions.neighbourhood, contributions.scan),
				line('contributions per group/adopter', contributions.adopter, contributions.scan),
				line('care list, first page', list.all),
				line('care list, one neighbourhood', list.neighbourhood)
			]
		);
	} finally {
		if (args.keep) {
			await bench.database.close();
			console.log(`--keep: the database perkje_bench_care_${process.pid} is left on the server`);
		} else await bench.drop();
	}
}

await main();

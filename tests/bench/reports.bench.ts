/**
 * `npm run bench:reports`: problem reports on a generated city (PostgreSQL + PostGIS from
 * BENCH_DATABASE_URL or DATABASE_URL).
 *
 * 200,000 generated plots over Delft's neighbourhoods and 100,000 reports (generate_series),
 * each near a plot, in the seeded sub-categories, over the last two years: four in ten still
 * open in one of the open states, the rest done or cancelled (a tenth of those in the last 14
 * days, so still on the public map), one in fifty merged into another. Then, in the same run:
 *   - the duplicate lookup ("Is dit dezelfde melding?", nearbyOpenReports) at points near
 *     reports, in their category: p50 and p95 (aim: p95 ≤ 20 ms);
 *   - the public reports tile at zooms 14–17 (its layer starts at REPORTS_MIN_ZOOM): the endpoint (tile handler, cache off) against
 *     its bare ST_AsMVT query on the same tiles, interleaved (aim: ≤ 1.15× at p50). This runs
 *     once the 'reports' tile set exists in the tiles room; until then it says so;
 *   - the managers' inbox first page, as /beheer/meldingen asks for it (aim ≤ 150 ms).
 *
 * Options: --plots N (default 200000) --reports N (default 100000) --lookups N (default 500)
 *          --tiles N (per zoom, default 20) --keep (leave the database, to explain its queries)
 */
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { tileForPoint, type TileCoord } from '#lib/geo/tiles.js';
import { queryRows, type Database } from '#server/db';
import { importPlots } from '#server/import';
import { parseInboxFilter } from '#lib/domain/report-inbox.js';
import { listInbox, nearbyOpenReports } from '#server/reports';
import { REPORTS_MIN_ZOOM, TILESETS, createTileService, postgisTileQuery, tileResponse, type TilesetName } from '#server/tiles';
import { benchArgs } from './lib/args';
import { benchPostgresUrl, freshPostgresDatabase, importDelftNeighbourhoods } from './lib/databases';
import { summarize, timed } from './lib/stats';
import { syntheticPlotsFile } from './lib/synthetic';
import { int, ms, printTable, seconds } from './lib/table';

// The public reports layer has tiles from REPORTS_MIN_ZOOM on (src/lib/server/tiles/layers.ts).
const ZOOMS = [13, 14, 15, 16, 17].filter((z) => z >= REPORTS_MIN_ZOOM);
const BROWSER_HEADERS = { 'accept-encoding': 'gzip, deflate, br' };
/** The public reports layer's tile set, once part R3's layer is in the tiles room. */
const REPORTS_TILESET = 'reports';

const Args = z.object({
	plots: z.coerce.number().int().min(1000).default(200_000),
	reports: z.coerce.number().int().min(1000).default(100_000),
	lookups: z.coerce.number().int().min(10).default(500),
	tiles: z.coerce.number().int().min(1).max(200).default(20),
	keep: z.boolean().default(false)
});

/**
 * Reports in SQL, as insertReport would place them: near a plot (a few metres off its label
 * point), its neighbourhood, a category, deadlines, a state. Fast to make; the lookups and
 * tiles only read what insertReport writes.
 */
async function fillReports(database: Database, reports: number): Promise<void> {
	await database.db.execute(sql`
		WITH subs AS (SELECT id, (row_number() OVER (ORDER BY id) - 1)::int AS rn FROM report_categories WHERE parent_id IS NOT NULL),
			ns AS (SELECT count(*)::int AS c FROM subs),
			pl AS (SELECT id, neighbourhood_id, label_point, (row_number() OVER (ORDER BY id) - 1)::bigint AS rn FROM plots),
			np AS (SELECT count(*)::bigint AS c FROM pl),
			g AS (SELECT g, now() - make_interval(secs => ((g * 7919) % (730 * 86400))::double precision) AS at
				FROM generate_series(0, ${reports - 1}::bigint) g)
		INSERT INTO reports (category_id, description, geom, plot_id, neighbourhood_id, source, contact_allowed, confirmed_at,
			state, deadline_at, deadline_3x_at, created_at, updated_at, closed_at, resolved_at, first_response_at)
		SELECT subs.id, 'Melding ' || g.g,
			ST_SetSRID(ST_MakePoint(ST_X(pl.label_point) + ((g.g % 7) - 3) * 0.00003, ST_Y(pl.label_point) + ((g.g % 5) - 2) * 0.00003), 4326),
			pl.id, pl.neighbourhood_id, 'account', false, g.at,
			s.state, g.at + interval '7 days', g.at + interval '21 days', g.at,
			CASE WHEN s.closed AND g.g % 10 = 0 THEN now() - make_interval(days => (g.g % 14)::int) ELSE g.at + interval '3 days' END,
			CASE WHEN s.closed THEN (CASE WHEN g.g % 10 = 0 THEN now() - make_interval(days => (g.g % 14)::int) ELSE g.at + interval '3 days' END) END,
			CASE WHEN s.state = 'done' THEN g.at + interval '3 days' END,
			CASE WHEN s.state <> 'reported' THEN g.at + interval '1 day' END
		FROM g
		JOIN pl ON pl.rn = (g.g * 2654435761) % (SELECT c FROM np)
		JOIN subs ON subs.rn = g.g % (SELECT c FROM ns)
		CROSS JOIN LATERAL (SELECT st AS state, st IN ('done', 'cancelled') AS closed FROM (VALUES (
			(ARRAY['reported', 'in_progress', 'scheduled', 'forwarded', 'done', 'done', 'done', 'done', 'done', 'cancelled'])[1 + (g.g % 10)::int]
		)) v(st)) s`);
	// One in fifty is a merged child of the report made just before it.
	await database.db.execute(sql`UPDATE reports r SET parent_id = r.id - 1, state = 'cancelled', closed_at = r.updated_at
		WHERE r.id % 50 = 0 AND r.id > 1`);
	await database.db.execute(sql`UPDATE reports r SET support_count = r.id % 4`);
}

/** Points near reports (open or not), with a report's category, in a fixed pseudo-random order. */
async function lookupPoints(database: Database, n: number) {
	return queryRows<{ category_id: number; lon: number; lat: number }>(
		database.db,
		sql`SELECT category_id, ST_X(geom) + 0.0001 AS lon, ST_Y(geom) - 0.0001 AS lat FROM reports ORDER BY md5(id::text) LIMIT ${n}`
	);
}

async function sampleTiles(database: Database, perZoom: number): Promise<Map<number, TileCoord[]>> {
	const points = await queryRows<{ lng: number; lat: number }>(
		database.db,
		sql`SELECT ST_X(geom) AS lng, ST_Y(geom) AS lat FROM reports WHERE closed_at IS NULL OR closed_at > now() - interval '14 days'
			ORDER BY md5(id::text) LIMIT 5000`
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
	endpoint: number[];
	bare: number[];
	largestBytes: number;
}

/** The endpoint with its cache off against the bare ST_AsMVT query, interleaved (as bench:tiles). */
async function measureTiles(database: Database, tiles: Map<number, TileCoord[]>, minSamples: number): Promise<TileRow[] | null> {
	if (!(REPORTS_TILESET in TILESETS) || database.driver.kind !== 'postgres') return null;
	const tileset = REPORTS_TILESET as TilesetName;
	const service = createTileService({ database: () => database, cacheBytes: 0 });
	const pool = database.driver.pool;
	const dialect = new PgDialect();
	const endpoint = async (t: TileCoord) => {
		const res = await tileResponse(
			new Request(`http://localhost/tiles/${tileset}/${t.z}/${t.x}/${t.y}.mvt`, { headers: BROWSER_HEADERS }),
			tileset,
			{ z: String(t.z), x: String(t.x), y: String(t.y) },
			service
		);
		return res.status === 200 ? (await res.arrayBuffer()).byteLength : 0;
	};
	const bare = async (t: TileCoord) => {
		const q = dialect.sqlToQuery(postgisTileQuery(TILESETS[tileset], t));
		return (await pool.query(q.sql, q.params as unknown[])).rows;
	};
	const rows: TileRow[] = [];
	for (const zoom of ZOOMS) {
		const list = tiles.get(zoom) ?? [];
		const row: TileRow = { zoom, tiles: list.length, endpoint: [], bare: [], largestBytes: 0 };
		for (const t of list) {
			row.largestBytes = Math.max(row.largestBytes, await endpoint(t));
			await bare(t);
		}
		const rounds = Math.max(1, Math.ceil(minSamples / Math.max(1, list.length)));
		for (let r = 0; r < rounds; r++) {
			for (const [i, t] of list.entries()) {
				const order = (r + i) % 2 === 0 ? (['endpoint', 'bare'] as const) : (['bare', 'endpoint'] as const);
				for (const which of order) {
					const { ms: took } = await timed<unknown>(() => (which === 'endpoint' ? endpoint(t) : bare(t)));
					row[which].push(took);
				}
			}
		}
		rows.push(row);
		process.stdout.write(`  z${zoom}: ${list.length} tiles, ${row.endpoint.length} samples each\n`);
	}
	return rows;
}

/**
 * The managers' inbox first page as /beheer/meldingen asks for it (the count and the page in
 * one listInbox call): unfiltered with its default "overdue first" order, newest first, and
 * one neighbourhood's overdue reports.
 */
async function measureInboxFirstPage(database: Database): Promise<Array<[string, number[]]>> {
	const db = database.db;
	const now = new Date();
	const [busiest] = await queryRows<{ id: number }>(
		db,
		sql`SELECT neighbourhood_id AS id FROM reports WHERE neighbourhood_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`
	);
	const page = (query: string) => () => listInbox(db, { kind: 'all' }, parseInboxFilter(new URLSearchParams(query)), now);
	return [
		['inbox first page, overdue first', await repeat(20, page(''))],
		['inbox first page, newest first', await repeat(20, page('volgorde=nieuwst'))],
		['inbox, one buurt, overdue only', await repeat(20, page(`buurt=${busiest?.id ?? 0}&termijn=over`))]
	];
}

async function repeat(times: number, fn: () => Promise<unknown>): Promise<number[]> {
	await fn();
	await fn();
	const samples: number[] = [];
	for (let i = 0; i < times; i++) samples.push((await timed(fn)).ms);
	return samples;
}

async function main(): Promise<void> {
	const args = benchArgs('bench:reports', Args, ['plots', 'reports', 'lookups', 'tiles'], ['keep']);
	const pgUrl = benchPostgresUrl();
	if (!pgUrl) {
		console.log('bench:reports: SKIPPED — no server given. Set BENCH_DATABASE_URL (or DATABASE_URL), e.g. BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5433/postgres npm run bench:reports');
		return;
	}
	const file = await syntheticPlotsFile(args.plots);
	const bench = await freshPostgresDatabase(pgUrl, 'reports');
	try {
		const { database } = bench;
		console.log(`${bench.label}: loading ${int(args.plots)} plots and ${int(args.reports)} reports…`);
		const setup = await timed(async () => {
			await importDelftNeighbourhoods(database);
			await importPlots(database.db, { file }, { owner: 'G0503' });
			await fillReports(database, args.reports);
			for (const table of ['plots', 'neighbourhoods', 'reports', 'report_categories']) {
				await database.db.execute(sql.raw(`VACUUM (ANALYZE) ${table}`));
			}
		});
		const [counts] = await queryRows<{ plots: number; reports: number; open: number; onMap: number }>(
			database.db,
			sql`SELECT (SELECT count(*)::int FROM plots) AS plots, (SELECT count(*)::int FROM reports) AS reports,
				(SELECT count(*)::int FROM reports WHERE state NOT IN ('done', 'cancelled')) AS open,
				(SELECT count(*)::int FROM reports WHERE closed_at IS NULL OR closed_at > now() - interval '14 days') AS "onMap"`
		);
		console.log(`  ${int(counts.plots)} plots, ${int(counts.reports)} reports (${int(counts.open)} open, ${int(counts.onMap)} on the public map) in ${seconds(setup.ms)} s`);

		// The duplicate lookup, each point once after a warm-up pass over the first fifty.
		const points = await lookupPoints(database, args.lookups);
		for (const p of points.slice(0, 50)) await nearbyOpenReports(database.db, p.category_id, p.lon, p.lat);
		const lookups: number[] = [];
		let found = 0;
		for (const p of points) {
			const { value, ms: took } = await timed(() => nearbyOpenReports(database.db, p.category_id, p.lon, p.lat));
			lookups.push(took);
			if (value.length > 0) found++;
		}

		console.log('  uncached public reports tiles, endpoint vs bare ST_AsMVT:');
		const tiles = await measureTiles(database, await sampleTiles(database, args.tiles), 60);
		const inbox = await measureInboxFirstPage(database);

		const line = (label: string, samples: number[], aim: string) => {
			const s = summarize(samples);
			return [label, s.n, ms(s.p50), ms(s.p95), ms(s.max), aim];
		};
		printTable(
			`Reports (${bench.label}, ${int(counts.plots)} plots, ${int(counts.reports)} reports; ms)`,
			['query', 'runs', 'p50', 'p95', 'max', 'aim'],
			[
				line(`duplicate lookup (nearbyOpenReports; ${int(found)} of ${int(points.length)} found some)`, lookups, 'p95 ≤ 20 ms'),
				...inbox.map(([label, samples]) => line(label, samples, '≤ 150 ms'))
			]
		);
		if (tiles) {
			printTable(
				`Uncached public reports tiles, endpoint against its bare ST_AsMVT query (${bench.label}; ms)`,
				['zoom', 'tiles', 'samples', 'bare p50', 'endpoint p50', 'endpoint/bare p50', 'bare p95', 'endpoint p95', 'largest KB'],
				tiles.map((r) => {
					const [e, b] = [summarize(r.endpoint), summarize(r.bare)];
					return [`z${r.zoom}`, r.tiles, r.endpoint.length, ms(b.p50), ms(e.p50), `${(e.p50 / b.p50).toFixed(2)}×`, ms(b.p95), ms(e.p95), (r.largestBytes / 1024).toFixed(1)];
				})
			);
		} else {
			console.log(`public reports tile: not measured — the tiles room has no '${REPORTS_TILESET}' tile set on this branch yet (part R3's reports/layer.ts adds it; this bench then measures it with no change).`);
		}
	} finally {
		if (args.keep) {
			await bench.database.close();
			console.log(`--keep: the database perkje_bench_reports_${process.pid} is left on the server`);
		} else await bench.drop();
	}
}

await main();

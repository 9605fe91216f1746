/**
 * `npm run bench:tiles`: map tiles on generated cities.
 *
 * PostgreSQL + PostGIS (BENCH_DATABASE_URL or DATABASE_URL) with 200,000 generated plots, and
 * the embedded database with the demo data plus 20,000 generated plots. Per zoom 12–17:
 *   - uncached: our endpoint (the tile handler, cache off) against the bare tile query of the
 *     same layer on the same tiles in the same run, interleaved — ST_AsMVT on PostgreSQL, run
 *     as the server is configured and once more with JIT off (the endpoint turns JIT off for
 *     the layers where it costs, TileLayer.jit); on the embedded database the bare GeoJSON
 *     database each layer's bare feature query (the same rows, geometry as stored), with a
 *     CPU-time ratio beside the wall-clock ones;
 *   - revalidation: a 304 from a service with nothing cached, as right after a restart;
 *   - tile sizes (largest and p95);
 *   - filtered tiles (the list's filters in the tile URL, as the map asks when filtered):
 *     uncached endpoint p50/p95 and largest tile at zooms 12–15;
 *   - cached: 50 concurrent keep-alive connections on loopback against the real server
 *     (`npm start -- --no-build`, the built app, its cache warm), once with its fast path for
 *     cached tiles and once without (PERKJE_TILE_FAST_PATH=false), against a minimal static
 *     server in the same run that sends the same bytes and headers from memory; the ratios
 *     to the static server are the figures to watch.
 *
 * Options: --plots N (PostgreSQL, default 200000) --embedded-plots N (default 20000)
 *          --only postgres|embedded --tiles N (tiles per zoom, default 20) --seconds S (load, default 5)
 *          --cached-only (skip the uncached, size and filter measures)
 * Needs a build (npm run build).
 */
import autocannon from 'autocannon';
import { fork, spawn } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { localDay } from '#lib/domain/activity.js';
import { NO_MAP_FILTERS } from '#lib/domain/plot-filters.js';
import { tileForPoint, type TileCoord } from '#lib/geo/tiles.js';
import { openDatabase, queryRows, type Database } from '#server/db';
import { importPlots, seedDemoIfEmpty } from '#server/import';
import { loadMunicipality } from '#server/municipality';
import { bufferedEnvelope, tileAnswerFor, tileResponse, TILESETS, type TilesetName, type TileService, postgisTileQuery, createTileService, tilePlotFilterSql } from '#server/tiles';
import { rawRequest } from '#tests/integration/fixtures/raw-http.js';
import { benchArgs } from './lib/args';
import { benchPostgresUrl, freshEmbeddedDatabase, freshPostgresDatabase, importDelftNeighbourhoods, type BenchDatabase } from './lib/databases';
import { summarize, timed } from './lib/stats';
import { syntheticPlotsFile } from './lib/synthetic';
import { int, ms, printTable, ratio, seconds } from './lib/table';
import { npmStartArgs } from '#tests/support/start-command.js';

const ZOOMS = [12, 13, 14, 15, 16, 17];
/** Zooms whose tile sizes we check against the ~500 KB budget. */
const SIZE_ZOOMS = [10, 11, ...ZOOMS];
// The tiles helper's port range is 4400-4499; BENCH_PORT_BASE moves it, to run beside another checkout.
const PORT_BASE = Number(process.env.BENCH_PORT_BASE ?? 4400);
const CONNECTIONS = 50;
const BROWSER_HEADERS = { 'accept-encoding': 'gzip, deflate, br' };

// ─── the child process: a minimal static server ────────────────────────────────────────────

interface RecordedAnswer {
	status: number;
	headers: Record<string, string>;
	/** base64 */
	body: string;
}

/** The yardstick: the app's own answers, recorded once, sent from memory with nothing else. */
async function serveStatic(file: string): Promise<void> {
	const recorded = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, RecordedAnswer>;
	const answers = new Map(
		Object.entries(recorded).map(([url, a]) => [url, { status: a.status, headers: a.headers, body: Buffer.from(a.body, 'base64') }])
	);
	const server = http.createServer((req, res) => {
		const answer = answers.get(req.url ?? '');
		if (!answer) {
			res.writeHead(404).end();
			return;
		}
		res.writeHead(answer.status, answer.headers);
		res.end(answer.body);
	});
	server.keepAliveTimeout = 30_000;
	server.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.({ listening: (server.address() as AddressInfo).port }));
	process.on('message', (m) => {
		if (m === 'stop') server.close(() => process.exit(0));
	});
}

// ─── the benchmark ─────────────────────────────────────────────────────────────────────────

interface ZoomResult {
	zoom: number;
	tiles: number;
	endpoint: number[];
	bare: number[];
	/** The bare query with JIT off (PostgreSQL only). */
	bareWithoutJit: number[];
	/** This process's CPU time (ms, all threads) in all endpoint calls and all bare queries. */
	cpu: { endpoint: number; bare: number };
	sizes: number[];
}

/** Tiles that hold plots, picked by plots in a fixed pseudo-random order (denser areas more often). */
async function sampleTiles(database: Database, perZoom: number, zooms: number[]): Promise<Map<number, TileCoord[]>> {
	const points = await queryRows<{ lng: number; lat: number }>(
		database.db,
		sql`SELECT ST_X(label_point) AS lng, ST_Y(label_point) AS lat FROM plots
			WHERE status = 'active' ORDER BY md5(id::text) LIMIT 5000`
	);
	const byZoom = new Map<number, TileCoord[]>();
	for (const z of zooms) {
		const seen = new Map<string, TileCoord>();
		for (const p of points) {
			const t = tileForPoint(p.lng, p.lat, z);
			seen.set(`${t.x}/${t.y}`, t);
			if (seen.size >= perZoom) break;
		}
		byZoom.set(z, [...seen.values()]);
	}
	return byZoom;
}

function paramsOf(t: TileCoord) {
	return { z: String(t.z), x: String(t.x), y: String(t.y) };
}

/**
 * The bare query: what a tile costs the database alone, sent straight through the driver.
 * On PostgreSQL the ST_AsMVT query; `jit: false` runs it with JIT off, in a transaction as the
 * endpoint does. On the embedded database each layer's own feature query (the same rows the
 * tile holds, with their properties), geometry as it is stored (GeoJSON, neither clipped nor
 * projected), so the baseline does not move when the renderer changes how much of the tile it
 * asks SQL to make.
 */
function bareQuery(database: Database, tileset: TilesetName, options: { jit?: boolean } = {}): (t: TileCoord) => Promise<unknown> {
	const dialect = new PgDialect();
	if (database.driver.kind === 'postgres') {
		const pool = database.driver.pool;
		return async (t) => {
			const q = dialect.sqlToQuery(postgisTileQuery(TILESETS[tileset], t));
			if (options.jit !== false) return (await pool.query(q.sql, q.params as unknown[])).rows;
			const client = await pool.connect();
			try {
				await client.query('BEGIN');
				await client.query('SET LOCAL jit = off');
				const { rows } = await client.query(q.sql, q.params as unknown[]);
				await client.query('COMMIT');
				return rows;
			} finally {
				client.release();
			}
		};
	}
	const client = database.driver.client;
	const plotFilter = tilePlotFilterSql(NO_MAP_FILTERS);
	return async (t) => {
		for (const layer of TILESETS[tileset].layers(t.z)) {
			const columns = sql.raw(layer.properties.map((p) => `f.${p}`).join(', '));
			const features = layer.features(t, bufferedEnvelope(t), plotFilter, localDay(new Date()));
			const q = dialect.sqlToQuery(sql`SELECT f.id, ${columns}, ST_AsGeoJSON(f.geom, 7) AS geometry FROM (${features}) f`);
			await client.query(q.sql, q.params as unknown[]);
		}
	};
}

async function measureUncached(database: Database, tiles: Map<number, TileCoord[]>, minSamples: number): Promise<ZoomResult[]> {
	// Our endpoint with its cache off: every request renders, as on a cold tile.
	const service = createTileService({ database: () => database, cacheBytes: 0 });
	const bare = bareQuery(database, 'plots');
	const bareWithoutJit = database.kind === 'postgres' ? bareQuery(database, 'plots', { jit: false }) : undefined;
	// What npm start's server answers a tile with (its fast path, src/lib/server/fast-path.ts),
	// and the route too, inside SvelteKit's Request and Response: the status, headers and body.
	const endpoint = async (t: TileCoord) => {
		// As a browser asks: gzip accepted, so the endpoint's time includes compressing.
		const answer = await tileAnswerFor('plots', paramsOf(t), new URLSearchParams(), { acceptEncoding: BROWSER_HEADERS['accept-encoding'], ifNoneMatch: null }, service);
		return answer.status === 200 ? answer.body!.byteLength : 0;
	};
	const results: ZoomResult[] = [];
	for (const z of ZOOMS) {
		const list = tiles.get(z) ?? [];
		const result: ZoomResult = { zoom: z, tiles: list.length, endpoint: [], bare: [], bareWithoutJit: [], sizes: [], cpu: { endpoint: 0, bare: 0 } };
		// Wall time on a shared machine also counts waiting for a core; CPU time does not. On
		// the embedded database the query runs in this process, so CPU time compares the two.
		const cpuOf = async (which: 'endpoint' | 'bare' | undefined, fn: () => Promise<unknown>) => {
			const before = process.cpuUsage();
			const ms = (await timed(fn)).ms;
			const used = process.cpuUsage(before);
			if (which) result.cpu[which] += (used.user + used.system) / 1000;
			return ms;
		};
		for (const t of list) {
			result.sizes.push(await endpoint(t)); // also warms the database's buffers for both
			await bare(t);
		}
		type Run = [number[], (t: TileCoord) => Promise<unknown>, 'endpoint' | 'bare' | undefined];
		const runs: Run[] = [[result.endpoint, endpoint, 'endpoint'], [result.bare, bare, 'bare']];
		if (bareWithoutJit) runs.push([result.bareWithoutJit, bareWithoutJit, undefined]);
		const rounds = Math.max(1, Math.ceil(minSamples / Math.max(1, list.length)));
		for (let r = 0; r < rounds; r++) {
			for (const [i, t] of list.entries()) {
				// Rotate which goes first, so none always meets the warmer cache.
				for (let k = 0; k < runs.length; k++) {
					const [samples, run, cpu] = runs[(r + i + k) % runs.length];
					samples.push(await cpuOf(cpu, () => run(t)));
				}
			}
		}
		results.push(result);
		process.stdout.write(`  z${z}: ${list.length} tiles, ${result.endpoint.length} samples\n`);
	}
	return results;
}

interface RevalidationResult {
	/** A fresh service (nothing cached, no data version read yet) on the open connection pool. */
	coldService: number[];
	/** A fresh service on a new connection pool: the first request after a restart. */
	coldProcess: number[];
	notModified: boolean;
}

/**
 * A browser revalidating the tiles it holds (If-None-Match with the gzipped tile's ETag) at a
 * service that has cached nothing. The 304 comes from the data version alone, so this must
 * not depend on the tile's size.
 */
async function measureRevalidation(database: Database, tiles: Map<number, TileCoord[]>, databaseUrl?: string): Promise<RevalidationResult> {
	const warm = createTileService({ database: () => database });
	const ask = (t: TileCoord, service: TileService, etag?: string) =>
		tileResponse(
			new Request(`http://localhost/tiles/plots/${t.z}/${t.x}/${t.y}.mvt`, {
				headers: { ...BROWSER_HEADERS, ...(etag ? { 'if-none-match': etag } : {}) }
			}),
			'plots',
			paramsOf(t),
			service
		);
	const held = await Promise.all(ZOOMS.flatMap((z) => tiles.get(z) ?? []).map(async (t) => ({ t, etag: (await ask(t, warm)).headers.get('etag')! })));
	const result: RevalidationResult = { coldService: [], coldProcess: [], notModified: true };
	for (const { t, etag } of held) {
		const cold = createTileService({ database: () => database });
		const { value: res, ms } = await timed(() => ask(t, cold, etag));
		result.coldService.push(ms);
		result.notModified &&= res.status === 304 && cold.cacheStats().entries === 0;
	}
	if (databaseUrl) {
		for (const { t, etag } of held.slice(0, 10)) {
			const fresh = openDatabase({ databaseUrl, dataDir: '', holder: 'tiles benchmark' });
			try {
				const cold = createTileService({ database: () => fresh });
				const { value: res, ms } = await timed(() => ask(t, cold, etag));
				result.coldProcess.push(ms);
				result.notModified &&= res.status === 304;
			} finally {
				await fresh.close();
			}
		}
	}
	return result;
}

/** A filter a resident might set: one size bound, which keeps about half the plots. */
const BENCH_FILTER = 'min_m2=20';
const FILTER_ZOOMS = [12, 13, 14, 15];

interface FilteredResult {
	zoom: number;
	times: number[];
	sizes: number[];
}

/** The endpoint, cache off, for filtered tiles (each filter combination renders on its own). */
async function measureFiltered(database: Database, tiles: Map<number, TileCoord[]>): Promise<FilteredResult[]> {
	const service = createTileService({ database: () => database, cacheBytes: 0 });
	const results: FilteredResult[] = [];
	for (const z of FILTER_ZOOMS) {
		const result: FilteredResult = { zoom: z, times: [], sizes: [] };
		for (const t of tiles.get(z) ?? []) {
			const url = `http://localhost/tiles/plots/${t.z}/${t.x}/${t.y}.mvt?${BENCH_FILTER}`;
			const ask = () => tileResponse(new Request(url, { headers: BROWSER_HEADERS }), 'plots', paramsOf(t), service);
			await ask(); // warm the database's buffers
			const { value: res, ms } = await timed(ask);
			result.times.push(ms);
			const tile = await service.getTile('plots', t, { ...NO_MAP_FILTERS, min_m2: 20 });
			result.sizes.push(tile.body?.length ?? 0);
			await res.arrayBuffer();
		}
		results.push(result);
	}
	return results;
}

type Sizes = Map<number, { raw: number[]; gzipped: number[] }>;

async function measureSizes(database: Database, tiles: Map<number, TileCoord[]>): Promise<Sizes> {
	const service = createTileService({ database: () => database, cacheBytes: 0 });
	const sizes: Sizes = new Map();
	for (const z of SIZE_ZOOMS) {
		const list: number[] = [];
		const gzipped: number[] = [];
		for (const t of tiles.get(z) ?? []) {
			const tile = await service.getTile('plots', t);
			list.push(tile.body?.length ?? 0);
			gzipped.push(tile.gzipped?.length ?? tile.body?.length ?? 0);
		}
		sizes.set(z, { raw: list, gzipped });
	}
	return sizes;
}

interface LoadResult {
	requests: number;
	errors: number;
	seconds: number;
	latencies: number[];
}

async function startStatic(file: string, port: number): Promise<{ stop: () => Promise<void> }> {
	const child = fork(fileURLToPath(import.meta.url), ['--static', file], {
		env: { ...process.env, PORT: String(port) },
		execArgv: ['--import', 'tsx'],
		stdio: ['ignore', 'inherit', 'inherit', 'ipc']
	});
	await new Promise<void>((resolve, reject) => {
		child.once('message', () => resolve());
		child.once('exit', (code) => reject(new Error(`static server exited with ${code}`)));
	});
	return {
		stop: async () => {
			const exited = new Promise((r) => child.once('exit', r));
			child.send('stop');
			await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
			if (child.exitCode === null) child.kill();
		}
	};
}

/**
 * The app as `npm start -- --no-build` runs it, logging its request lines (to nowhere) as in
 * production; PERKJE_TILE_FAST_PATH=false sends cached tiles through SvelteKit.
 */
async function startRealServer(env: Record<string, string>, port: number, fastPath: boolean, logFile: string): Promise<{ stop: () => Promise<void> }> {
	// Its log goes to a file, as in production, not through a pipe this process would have to read.
	const log = fs.openSync(logFile, 'w');
	const child = spawn(process.execPath, npmStartArgs('--no-build'), {
		env: {
			...process.env,
			...env,
			PORT: String(port),
			HOST: '127.0.0.1',
			PERKJE_DEMO: 'false',
			LOG_LEVEL: 'info',
			PERKJE_TILE_FAST_PATH: String(fastPath)
		},
		stdio: ['ignore', log, 'inherit']
	});
	fs.closeSync(log);
	const exited = new Promise((r) => child.once('exit', r));
	for (;;) {
		if (fs.readFileSync(logFile, 'utf8').includes('"msg":"listening"')) break;
		if (child.exitCode !== null) throw new Error(`app exited with ${child.exitCode}: ${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
		await new Promise((r) => setTimeout(r, 200));
	}
	return {
		stop: async () => {
			child.kill('SIGTERM');
			await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
			if (child.exitCode === null) child.kill('SIGKILL');
		}
	};
}

/** What the app answers for each URL, as the load test asks (gzip accepted), for the static server. */
async function recordAnswers(port: number, urls: string[]): Promise<Record<string, RecordedAnswer>> {
	const recorded: Record<string, RecordedAnswer> = {};
	for (const url of urls) {
		const { status, headers, body } = await rawRequest(`http://127.0.0.1:${port}${url}`, BROWSER_HEADERS);
		const kept = Object.entries(headers).filter(([name]) => !['date', 'connection', 'keep-alive', 'transfer-encoding'].includes(name));
		recorded[url] = { status, headers: Object.fromEntries(kept.map(([n, v]) => [n, String(v)])), body: body.toString('base64') };
	}
	return recorded;
}

interface CachedResult {
	/** Each server measured in bursts taking turns with the static server, beside it. */
	fastPath: { app: LoadResult; static: LoadResult };
	framework: { app: LoadResult; static: LoadResult };
}

/** Bursts per server: taking turns, so load from other work on the machine meets both alike. */
const BURSTS = 4;

function addUp(parts: LoadResult[]): LoadResult {
	return {
		requests: parts.reduce((n, p) => n + p.requests, 0),
		errors: parts.reduce((n, p) => n + p.errors, 0),
		seconds: parts.reduce((n, p) => n + p.seconds, 0),
		latencies: parts.flatMap((p) => p.latencies)
	};
}

/** The app and the static server taking turns, `duration` in all for each. */
async function alternate(appPort: number, staticPort: number, urls: string[], duration: number) {
	const app: LoadResult[] = [];
	const statics: LoadResult[] = [];
	for (let i = 0; i < BURSTS; i++) {
		const burst = duration / BURSTS;
		// Which goes first changes, so neither always follows the other's garbage collection.
		if (i % 2 === 0) app.push(await load(appPort, urls, burst));
		statics.push(await load(staticPort, urls, burst));
		if (i % 2 === 1) app.push(await load(appPort, urls, burst));
	}
	return { app: addUp(app), static: addUp(statics) };
}

/** The real server with and without its fast path, each beside the static server. */
async function measureCached(env: Record<string, string>, urls: string[], duration: number, port: number): Promise<CachedResult> {
	const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'perkje-bench-static-'));
	const file = path.join(scratch, 'answers.json');
	const servers: Array<{ stop: () => Promise<void> }> = [];
	const stopAll = async () => {
		for (const server of servers.splice(0)) await server.stop();
	};
	try {
		servers.push(await startRealServer(env, port, true, path.join(scratch, 'fast-path.log')));
		for (const u of urls) await rawRequest(`http://127.0.0.1:${port}${u}`, BROWSER_HEADERS); // render and cache
		fs.writeFileSync(file, JSON.stringify(await recordAnswers(port, urls)));
		servers.push(await startStatic(file, port + 1));
		console.log(`  cached tiles, real server with its fast path and the static server: ${CONNECTIONS} connections, ${duration / 1000} s each…`);
		const fastPath = await alternate(port, port + 1, urls, duration);
		await stopAll();
		// One app at a time: the embedded database has one owner.
		servers.push(await startRealServer(env, port, false, path.join(scratch, 'framework.log')));
		servers.push(await startStatic(file, port + 1));
		console.log('  the same without the fast path (PERKJE_TILE_FAST_PATH=false) and the static server…');
		const framework = await alternate(port, port + 1, urls, duration);
		return { fastPath, framework };
	} finally {
		await stopAll();
		fs.rmSync(scratch, { recursive: true, force: true });
	}
}

/** autocannon: CONNECTIONS keep-alive connections, each walking through the URLs, for `duration` ms. */
async function load(port: number, urls: string[], duration: number): Promise<LoadResult> {
	const base = `http://127.0.0.1:${port}`;
	for (const u of urls) await (await fetch(base + u)).arrayBuffer(); // warm the server's cache
	const latencies: number[] = [];
	const result = await new Promise<autocannon.Result>((resolve, reject) => {
		const instance = autocannon(
			{
				url: base,
				connections: CONNECTIONS,
				duration: duration / 1000,
				headers: BROWSER_HEADERS,
				requests: urls.map((path) => ({ method: 'GET', path }))
			},
			(err, res) => (err ? reject(err) : resolve(res))
		);
		// The instance emits (client, status, bytes, ms); its type declares the client's signature.
		(instance as unknown as EventEmitter).on('response', (...args: unknown[]) => latencies.push(args[3] as number));
	});
	return {
		requests: result.requests.total,
		errors: result.errors + result.non2xx,
		seconds: result.duration,
		latencies
	};
}

interface RunResult {
	label: string;
	plots: number;
	setupMs: number;
	zooms: ZoomResult[];
	sizes: Sizes;
	filtered: FilteredResult[];
	revalidation: RevalidationResult | undefined;
	cached: CachedResult;
	cachedTiles: number;
}

async function run(
	bench: BenchDatabase,
	fill: (database: Database) => Promise<void>,
	opts: { tilesPerZoom: number; seconds: number; port: number; env: Record<string, string>; databaseUrl?: string; cachedOnly: boolean }
): Promise<RunResult> {
	const { database } = bench;
	console.log(`\n${bench.label}: loading data…`);
	const setup = await timed(() => fill(database));
	const [{ plots }] = await queryRows<{ plots: number }>(database.db, sql`SELECT count(*)::int AS plots FROM plots`);
	console.log(`  ${int(plots)} plots in ${seconds(setup.ms)} s`);
	const tiles = await sampleTiles(database, opts.tilesPerZoom, SIZE_ZOOMS);
	let zooms: ZoomResult[] = [];
	let sizes: Sizes = new Map();
	let filtered: FilteredResult[] = [];
	let revalidation: RevalidationResult | undefined;
	if (!opts.cachedOnly) {
		console.log('  uncached tiles, endpoint vs bare query:');
		zooms = await measureUncached(database, tiles, 60);
		sizes = await measureSizes(database, tiles);
		console.log(`  filtered tiles (?${BENCH_FILTER})…`);
		filtered = await measureFiltered(database, tiles);
		console.log('  304 on a cold service…');
		revalidation = await measureRevalidation(database, tiles, opts.databaseUrl);
	}

	// Cached tiles under load, served by other processes (the embedded folder has one owner).
	const urls = ZOOMS.flatMap((z) => (tiles.get(z) ?? []).map((t) => `/tiles/plots/${t.z}/${t.x}/${t.y}.mvt`));
	if (database.kind === 'embedded') await database.close();
	const cached = await measureCached(opts.env, urls, opts.seconds * 1000, opts.port);
	return { label: bench.label, plots, setupMs: setup.ms, zooms, sizes, filtered, revalidation, cached, cachedTiles: urls.length };
}

function reportRevalidation(label: string, revalidation: RevalidationResult): void {
	const cold = summarize(revalidation.coldService);
	const fresh = summarize(revalidation.coldProcess);
	printTable(
		`${label} — 304 for a tile the service has not cached (If-None-Match with the held ETag, tiles z12–17)`,
		['service', 'requests', 'all 304, nothing rendered', 'p50 ms', 'p95 ms', 'max ms'],
		[
			['fresh service, open pool', cold.n, revalidation.notModified ? 'yes' : 'NO', ms(cold.p50), ms(cold.p95), ms(cold.max)],
			...(fresh.n > 0
				? [['fresh service, new pool (a restart)', fresh.n, revalidation.notModified ? 'yes' : 'NO', ms(fresh.p50), ms(fresh.p95), ms(fresh.max)]]
				: [])
		]
	);
}

function kb(bytes: number): string {
	return (bytes / 1024).toFixed(1);
}

function report(r: RunResult): void {
	if (r.zooms.length > 0) reportUncached(r);
	reportCached(r);
}

function reportUncached(r: RunResult): void {
	const renderer = r.label.startsWith('PostgreSQL') ? 'ST_AsMVT query' : 'feature queries';
	const noJit = (z: number) => TILESETS.plots.layers(z).some((l) => l.jit?.(z) === false);
	const orDash = (text: string, samples: number[]) => (samples.length > 0 ? text : '—');
	printTable(
		`${r.label}, ${int(r.plots)} plots — uncached plot tiles: our endpoint vs the bare ${renderer} of the same layer (ms); ` +
			'"JIT off": the bare query with SET LOCAL jit = off; "p95 ÷ as run": the endpoint\'s p95 ÷ the bare query\'s p95 run as the endpoint runs it; "overhead": the endpoint ÷ the bare query run as the endpoint runs it, ' +
			'per sample (same tile, same round), p50 and p95 of those ratios — steadier than a ratio of p50s where small and large tiles mix',
		['zoom', 'tiles', 'samples', 'endpoint JIT', 'endpoint p50', 'endpoint p95', 'bare p50', 'bare p95', 'JIT off p50', 'JIT off p95', 'ratio p50', 'ratio p95', 'p95 ÷ as run', 'overhead p50', 'overhead p95', 'CPU ratio'],
		r.zooms.map((z) => {
			const e = summarize(z.endpoint);
			const b = summarize(z.bare);
			const off = summarize(z.bareWithoutJit);
			const same = z.bareWithoutJit.length > 0 && noJit(z.zoom) ? z.bareWithoutJit : z.bare;
			const paired = summarize(z.endpoint.map((e, i) => e / same[i]));
			return [
				`${z.zoom} ${TILESETS.plots.layers(z.zoom).map((l) => l.name).join(', ')}`,
				z.tiles,
				e.n,
				r.label.startsWith('PostgreSQL') ? (noJit(z.zoom) ? 'off' : 'server') : '—',
				ms(e.p50),
				ms(e.p95),
				ms(b.p50),
				ms(b.p95),
				orDash(ms(off.p50), z.bareWithoutJit),
				orDash(ms(off.p95), z.bareWithoutJit),
				ratio(e.p50, b.p50),
				ratio(e.p95, b.p95),
				ratio(e.p95, summarize(same).p95),
				`${paired.p50.toFixed(2)}×`,
				`${paired.p95.toFixed(2)}×`,
				// On PostgreSQL the query's CPU is the server's, not this process's.
				r.label.startsWith('PostgreSQL') ? '—' : ratio(z.cpu.endpoint, z.cpu.bare)
			];
		})
	);
	if (r.revalidation) reportRevalidation(r.label, r.revalidation);
	printTable(
		`${r.label} — plot tile sizes in KB (tiles sampled where plots are densest)`,
		['zoom', 'layer', 'tiles', 'empty', 'p50 KB', 'p95 KB', 'max KB', 'max KB gzip'],
		[...r.sizes].map(([z, { raw, gzipped }]) => {
			const nonEmpty = raw.filter((b) => b > 0);
			const sum = summarize(nonEmpty);
			const layer = TILESETS.plots.layers(z).map((l) => l.name).join(', ');
			return [`${z}`, layer, raw.length, raw.length - nonEmpty.length, kb(sum.p50), kb(sum.p95), kb(sum.max), kb(Math.max(0, ...gzipped))];
		})
	);
	printTable(
		`${r.label} — uncached filtered plot tiles (?${BENCH_FILTER}), our endpoint`,
		['zoom', 'tiles', 'p50 ms', 'p95 ms', 'max KB'],
		r.filtered.map((f) => {
			const t = summarize(f.times);
			return [`${f.zoom}`, f.times.length, ms(t.p50), ms(t.p95), kb(Math.max(0, ...f.sizes))];
		})
	);
}

function reportCached(r: RunResult): void {
	const perSecond = (l: LoadResult) => l.requests / l.seconds;
	const row = (label: string, l: LoadResult, yardstick: LoadResult) => {
		const c = summarize(l.latencies);
		return [label, int(l.requests), l.errors, int(perSecond(l)), ratio(perSecond(l), perSecond(yardstick)), ms(c.p50), ms(c.p95), ms(c.p99), ms(c.max)];
	};
	const { fastPath, framework } = r.cached;
	printTable(
		`${r.label} — cached plot tiles over HTTP (${CONNECTIONS} keep-alive connections, loopback, ${r.cachedTiles} tiles z12–17; ` +
			'each server in turns with a static server sending the same bytes and headers from memory)',
		['server', 'requests', 'errors', 'req/s', '× static', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
		[
			row('npm start, fast path', fastPath.app, fastPath.static),
			row('  static, its turns', fastPath.static, fastPath.static),
			row('npm start, through SvelteKit', framework.app, framework.static),
			row('  static, its turns', framework.static, framework.static)
		]
	);
}

const Args = z.object({
	plots: z.coerce.number().int().min(1000).default(200_000),
	embeddedPlots: z.coerce.number().int().min(0).default(20_000),
	only: z.enum(['postgres', 'embedded']).optional(),
	tiles: z.coerce.number().int().min(1).max(500).default(20),
	seconds: z.coerce.number().min(1).max(60).default(5),
	cachedOnly: z.boolean().default(false)
});

async function main(): Promise<void> {
	const args = benchArgs('bench:tiles', Args, ['plots', 'embedded-plots', 'only', 'tiles', 'seconds'], ['cached-only']);
	const pgUrl = benchPostgresUrl();
	const results: RunResult[] = [];
	const skipped: string[] = [];

	if (args.only !== 'embedded') {
		if (!pgUrl) {
			skipped.push(
				'PostgreSQL + PostGIS: SKIPPED — no server given. Set BENCH_DATABASE_URL (or DATABASE_URL), ' +
					'e.g. BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5433/perkje npm run bench:tiles'
			);
		} else {
			const file = await syntheticPlotsFile(args.plots);
			const bench = await freshPostgresDatabase(pgUrl, 'tiles');
			try {
				const url = new URL(pgUrl);
				url.pathname = `/${(await queryRows<{ d: string }>(bench.database.db, sql`SELECT current_database() AS d`))[0].d}`;
				results.push(
					await run(
						bench,
						async (database) => {
							await importDelftNeighbourhoods(database);
							await importPlots(database.db, { file }, { owner: 'G0503' });
							await database.db.execute(sql`ANALYZE plots`);
							await database.db.execute(sql`ANALYZE neighbourhoods`);
						},
						{
							tilesPerZoom: args.tiles,
							seconds: args.seconds,
							port: PORT_BASE + 10,
							env: { DATABASE_URL: url.toString() },
							databaseUrl: url.toString(),
							cachedOnly: args.cachedOnly
						}
					)
				);
			} finally {
				await bench.drop();
			}
		}
	}
	if (args.only !== 'postgres') {
		const file = args.embeddedPlots > 0 ? await syntheticPlotsFile(args.embeddedPlots) : undefined;
		const bench = await freshEmbeddedDatabase('tiles');
		try {
			results.push(
				await run(
					bench,
					async (database) => {
						await seedDemoIfEmpty(database, loadMunicipality('db/seed/municipality.json'), process.cwd());
						if (file) await importPlots(database.db, { file }, { owner: 'G0503' });
						await database.db.execute(sql`ANALYZE`);
					},
					{
						tilesPerZoom: args.tiles,
						seconds: args.seconds,
						port: PORT_BASE + 12,
						env: { DATABASE_URL: '', PERKJE_DATA_DIR: bench.database.location },
						cachedOnly: args.cachedOnly
					}
				)
			);
		} finally {
			await bench.drop();
		}
	}
	for (const r of results) report(r);
	for (const line of skipped) console.log(line);
}

const staticFile = process.argv.indexOf('--static');
if (staticFile >= 0) await serveStatic(process.argv[staticFile + 1]);
else await main();

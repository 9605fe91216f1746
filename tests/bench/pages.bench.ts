/**
 * `npm run bench:pages`: the public pages as a visitor gets them, over HTTP, on growing cities.
 *
 * The real built app (`npm start -- --no-build`, so `npm run build` first) runs in a child
 * process against a benchmark database; this process asks it for each page with sequential
 * requests (warm-ups first, then round after round over all pages, so machine load falls on
 * every page alike) and reports p50/p95 per page.
 *
 *   - PostgreSQL + PostGIS (BENCH_DATABASE_URL or DATABASE_URL): one database grown to each
 *     size in turn (default 20,000, 100,000 and 200,000 generated plots; the largest generated
 *     file is cut into interleaved slices, so every size is the same city, only denser), with
 *     10% of the plots holding an adoption (5% adopted, 2% asked or offered, 3% ended). Each
 *     page's figure stands beside its own figure at the smallest size (costs should follow the
 *     page, not the table) and beside a floor measured in the same rounds (a static file from
 *     the same server), so a busy machine shows as a slow floor. "after a change" is the p50 of
 *     requests that each follow a data change (data_versions bumped), i.e. with nothing cached.
 *   - The embedded database (PGlite): the demo data plus 20,000 generated plots.
 *
 * Options: --plots 20000,100000,200000 --embedded-plots N (default 20000)
 *          --only postgres|embedded --samples N (per page, default 30; 3 warm-ups)
 *          --changed N (requests after a change per page, default 5; 0 skips them)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import readline from 'node:readline';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { plotFiltersQuery, parsePlotFilters } from '#lib/domain/plot-filters.js';
import { SYNTHETIC_COLLECTION_MEMBERS } from '#lib/geo/synthetic.js';
import { queryRows, type Database } from '#server/db';
import { importPlots, refreshStatistics, seedDemoIfEmpty } from '#server/import';
import { loadMunicipality } from '#server/municipality';
import { withDatabase } from '../integration/test-databases';
import { benchArgs } from './lib/args';
import { benchPostgresUrl, freshEmbeddedDatabase, freshPostgresDatabase, importDelftNeighbourhoods } from './lib/databases';
import { summarize, timed } from './lib/stats';
import { syntheticPlotsFile } from './lib/synthetic';
import { int, ms, printTable, ratio, seconds } from './lib/table';
import { npmStartArgs } from '#tests/support/start-command.js';

const PORT_BASE = 4600; // the pages helper's ports
const WARMUPS = 3;
/** A static file: served before the app's hooks, so it costs what HTTP and the process cost. */
const FLOOR = '/favicon.svg';
/** Answers once the app is started and its database migrated. */
const READY = '/healthz';

// ─── the city at each size ─────────────────────────────────────────────────────────────────

/**
 * The largest generated file cut into one slice per size step: feature i goes to the first
 * step whose share of the final count exceeds (i·φ mod 1), an even spread over the whole city
 * (the generator writes plots neighbourhood by neighbourhood, so a prefix would be one corner).
 * Slice k holds sizes[k] − sizes[k−1] plots, give or take a few.
 */
async function sliceFiles(file: string, sizes: number[]): Promise<string[]> {
	const total = sizes[sizes.length - 1];
	const outs = sizes.map((_, k) => file.replace(/\.geojson$/, `.slice-${sizes.join('-')}-${k + 1}.geojson`));
	const sourceTime = fs.statSync(file).mtimeMs;
	if (outs.every((o) => fs.existsSync(o) && fs.statSync(o).mtimeMs > sourceTime)) return outs;
	const header = JSON.stringify({ type: 'FeatureCollection', ...SYNTHETIC_COLLECTION_MEMBERS, features: [] }).replace(/\]\}$/, '');
	const partials = outs.map((o) => `${o}.partial-${process.pid}`);
	const streams = partials.map((p) => fs.createWriteStream(p, { encoding: 'utf8' }));
	const first = streams.map(() => true);
	for (const s of streams) s.write(`${header}\n`);
	const PHI = (Math.sqrt(5) - 1) / 2;
	let i = 0;
	// The generator writes one feature per line (see writeSyntheticFile).
	for await (const raw of readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
		const line = raw.replace(/^,|,$/g, '');
		if (!line.startsWith('{"type":"Feature"')) continue;
		const u = (i++ * PHI) % 1;
		const k = sizes.findIndex((s) => u < s / total);
		const ok = streams[k].write(`${first[k] ? '' : ',\n'}${line}`);
		first[k] = false;
		if (!ok) await new Promise<void>((r) => streams[k].once('drain', () => r()));
	}
	await Promise.all(streams.map((s) => new Promise((r) => s.end('\n]}\n', () => r(null)))));
	partials.forEach((p, k) => fs.renameSync(p, outs[k]));
	return outs;
}

/**
 * Adoptions on the plots that have none yet, by a fixed hash of the plot id: 5% adopted, 1%
 * asked, 1% offered, 3% ended (history only), held by 500 residents.
 */
async function addAdoptions(database: Database): Promise<void> {
	await database.db.execute(sql`
		INSERT INTO users (id, email, email_verified)
		SELECT 'bench-' || i, 'bench-' || i || '@example.invalid', true FROM generate_series(1, 500) i
		ON CONFLICT DO NOTHING`);
	await database.db.execute(sql`
		INSERT INTO adoptions (plot_id, user_id, status, started_at, ended_at)
		SELECT id, 'bench-' || (1 + id % 500), status,
			CASE WHEN status IN ('active', 'ended') THEN now() - interval '90 days' END,
			CASE WHEN status = 'ended' THEN now() - interval '10 days' END
		FROM (
			SELECT p.id, CASE WHEN b < 5 THEN 'active' WHEN b = 5 THEN 'requested' WHEN b = 6 THEN 'offered'
				WHEN b < 10 THEN 'ended' END AS status
			FROM (SELECT id, ((id::bigint * 2654435761) % 100)::int AS b FROM plots
				WHERE status = 'active' AND adoptable) p
			WHERE NOT EXISTS (SELECT 1 FROM adoptions a WHERE a.plot_id = p.id)
		) s
		WHERE status IS NOT NULL`);
}

async function count(database: Database, table: 'plots' | 'adoptions'): Promise<number> {
	const [row] = await queryRows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM ${sql.raw(table)}`);
	return row.n;
}

// ─── the pages ─────────────────────────────────────────────────────────────────────────────

interface Page {
	label: string;
	path: string;
}

/** A list URL exactly as the list links it (a non-canonical one answers with a redirect). */
function listPath(query: string): string {
	const canonical = plotFiltersQuery(parsePlotFilters(new URLSearchParams(query)));
	return canonical ? `/plots?${canonical}` : '/plots';
}

/** What the pages are asked for: values picked once, on the smallest city, and kept as it grows. */
async function pickPages(database: Database): Promise<Page[]> {
	const [busiest] = await queryRows<{ id: number; name: string }>(
		database.db,
		sql`SELECT n.id, n.name FROM neighbourhoods n JOIN plots p ON p.neighbourhood_id = n.id
			GROUP BY n.id ORDER BY count(*) DESC, n.id LIMIT 1`
	);
	const [kind] = await queryRows<{ kind: string }>(
		database.db,
		sql`SELECT kind FROM plots GROUP BY kind ORDER BY count(*) DESC, kind OFFSET 1 LIMIT 1`
	);
	// A plot with an adoption and a history, from the middle of the city.
	const [plot] = await queryRows<{ id: number; source_id: string }>(
		database.db,
		sql`SELECT p.id, p.source_id FROM plots p JOIN adoptions a ON a.plot_id = p.id AND a.status = 'active'
			ORDER BY p.id OFFSET (SELECT count(*) / 40 FROM plots) LIMIT 1`
	);
	return [
		{ label: `floor: GET ${FLOOR}`, path: FLOOR },
		{ label: '/', path: '/' },
		{ label: '/plots', path: '/plots' },
		{ label: '/plots?q=Centrum', path: listPath('q=Centrum') },
		{ label: '/plots?q=<source id part>', path: listPath(`q=${plot.source_id.slice(0, -1)}`) },
		{ label: '/plots?neighbourhood=<busiest>', path: listPath(`neighbourhood=${busiest.id}`) },
		{ label: '/plots?state=available', path: listPath('state=available') },
		{ label: '/plots?state=adopted', path: listPath('state=adopted') },
		{ label: `/plots?kind=${kind.kind}`, path: listPath(`kind=${kind.kind}`) },
		{ label: '/plots?min_m2=20', path: listPath('min_m2=20') },
		{ label: '/plots?max_m2=5', path: listPath('max_m2=5') },
		{ label: '/plots?sort=number', path: listPath('sort=number') },
		{ label: '/plots?sort=area_desc', path: listPath('sort=area_desc') },
		{ label: '/plots?sort=area_asc', path: listPath('sort=area_asc') },
		{ label: '/plots?page=4000', path: listPath('page=4000') },
		{ label: '/plots?sort=area_desc&page=4000', path: listPath('sort=area_desc&page=4000') },
		{ label: '/plots/<id>', path: `/plots/${plot.id}` },
		{ label: '/plots/find.json?q=Centrum', path: '/plots/find.json?q=Centrum' },
		{ label: '/plots/find.json?q=<plot number>', path: `/plots/find.json?q=${plot.id}` },
		{ label: '/plots/find.json?q=nergens', path: '/plots/find.json?q=nergens' }
	];
}

async function get(base: string, path: string): Promise<number> {
	const { value: status, ms: took } = await timed(async () => {
		const res = await fetch(base + path, { redirect: 'manual' });
		await res.arrayBuffer();
		return res.status;
	});
	if (status !== 200) throw new Error(`GET ${path} answered ${status}`);
	return took;
}

/** Warm-ups, then `samples` rounds over all pages, one request at a time. */
async function measure(base: string, pages: Page[], samples: number): Promise<Map<string, number[]>> {
	const times = new Map(pages.map((p) => [p.path, [] as number[]]));
	for (const p of pages) for (let i = 0; i < WARMUPS; i++) await get(base, p.path);
	for (let r = 0; r < samples; r++) {
		for (const p of pages) times.get(p.path)!.push(await get(base, p.path));
	}
	return times;
}

/** Requests that each follow a data change, so nothing computed before it may be reused. */
async function measureAfterChange(base: string, database: Database, pages: Page[], samples: number): Promise<Map<string, number[]>> {
	const times = new Map(pages.map((p) => [p.path, [] as number[]]));
	for (let r = 0; r < samples; r++) {
		for (const p of pages) {
			await database.db.execute(sql`UPDATE data_versions SET version = version + 1, changed_at = now() WHERE name = 'adoptions'`);
			times.get(p.path)!.push(await get(base, p.path));
		}
	}
	return times;
}

// ─── the app in a child process ────────────────────────────────────────────────────────────

async function startApp(env: Record<string, string>, port: number): Promise<{ child: ChildProcess; base: string }> {
	if (!fs.existsSync('build/handler.js')) throw new Error('no build: run npm run build first');
	const child = spawn(process.execPath, npmStartArgs('--no-build'), {
		env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', PERKJE_DEMO: 'false', ...env },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	const base = `http://127.0.0.1:${port}`;
	const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`the app exited with ${code}`))));
	const ready = (async () => {
		for (const start = Date.now(); Date.now() - start < 180_000; await new Promise((r) => setTimeout(r, 250))) {
			try {
				if ((await fetch(base + READY)).ok) return;
			} catch {
				// not listening yet
			}
		}
		throw new Error('the app did not answer within 180 s');
	})();
	await Promise.race([ready, exited]);
	exited.catch(() => {});
	return { child, base };
}

async function stopApp(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null) return;
	const exited = new Promise((r) => child.once('exit', r));
	child.kill('SIGTERM');
	await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
	if (child.exitCode === null) child.kill('SIGKILL');
}

// ─── runs ──────────────────────────────────────────────────────────────────────────────────

interface SizeResult {
	plots: number;
	adoptions: number;
	times: Map<string, number[]>;
	changed: Map<string, number[]>;
}

async function runPostgres(pgUrl: string, sizes: number[], samples: number, changed: number): Promise<{ pages: Page[]; results: SizeResult[]; label: string }> {
	const file = await syntheticPlotsFile(sizes[sizes.length - 1]);
	const slices = await sliceFiles(file, sizes);
	const bench = await freshPostgresDatabase(pgUrl, 'pages');
	const { database } = bench;
	let app: ChildProcess | undefined;
	try {
		const [{ d }] = await queryRows<{ d: string }>(database.db, sql`SELECT current_database() AS d`);
		await importDelftNeighbourhoods(database);
		const results: SizeResult[] = [];
		let pages: Page[] = [];
		let base = '';
		for (const [k, slice] of slices.entries()) {
			console.log(`\n${bench.label}: growing to ${int(sizes[k])} plots…`);
			const grown = await timed(async () => {
				await importPlots(database.db, { file: slice }, { owner: 'G0503', dataset: `synthetic-${k + 1}` });
				// As `npm run import` does after an import.
				await refreshStatistics(database.db, 'plots');
				await addAdoptions(database);
				await database.db.execute(sql`ANALYZE`);
			});
			const result: SizeResult = { plots: await count(database, 'plots'), adoptions: await count(database, 'adoptions'), times: new Map(), changed: new Map() };
			console.log(`  ${int(result.plots)} plots, ${int(result.adoptions)} adoptions (${seconds(grown.ms)} s)`);
			if (!app) {
				pages = await pickPages(database);
				({ child: app, base } = await startApp({ DATABASE_URL: withDatabase(pgUrl, d) }, PORT_BASE));
			}
			console.log(`  ${pages.length} pages × (${WARMUPS} warm-ups + ${samples})…`);
			result.times = await measure(base, pages, samples);
			if (changed > 0) {
				console.log(`  ${pages.length} pages × ${changed} after a change…`);
				result.changed = await measureAfterChange(base, database, pages, changed);
			}
			results.push(result);
		}
		return { pages, results, label: bench.label };
	} finally {
		if (app) await stopApp(app);
		await bench.drop();
	}
}

async function runEmbedded(plots: number, samples: number): Promise<{ pages: Page[]; result: SizeResult }> {
	const file = plots > 0 ? await syntheticPlotsFile(plots) : undefined;
	const bench = await freshEmbeddedDatabase('pages');
	const { database } = bench;
	let app: ChildProcess | undefined;
	try {
		console.log(`\n${bench.label}: loading the demo data and ${int(plots)} plots…`);
		await seedDemoIfEmpty(database, loadMunicipality('db/seed/municipality.json'), process.cwd());
		if (file) {
			await importPlots(database.db, { file }, { owner: 'G0503' });
			await refreshStatistics(database.db, 'plots');
		}
		await addAdoptions(database);
		await database.db.execute(sql`ANALYZE`);
		const pages = await pickPages(database);
		const result: SizeResult = { plots: await count(database, 'plots'), adoptions: await count(database, 'adoptions'), times: new Map(), changed: new Map() };
		// The embedded folder has one owner: the app, from here on.
		await database.close();
		const started = await startApp({ DATABASE_URL: '', PERKJE_DATA_DIR: database.location }, PORT_BASE + 1);
		app = started.child;
		console.log(`  ${int(result.plots)} plots; ${pages.length} pages × (${WARMUPS} warm-ups + ${samples})…`);
		result.times = await measure(started.base, pages, samples);
		return { pages, result };
	} finally {
		if (app) await stopApp(app);
		await bench.drop();
	}
}

function p50(times: Map<string, number[]>, path: string): number {
	return summarize(times.get(path) ?? []).p50;
}

function reportPostgres(label: string, pages: Page[], results: SizeResult[]): void {
	const sizes = results.map((r) => `${Math.round(r.plots / 1000)}k`);
	const [first] = results;
	const last = results[results.length - 1];
	const hasChanged = last.changed.size > 0;
	printTable(
		`${label}: public pages over HTTP, sequential requests (${summarize(first.times.get(FLOOR)!).n} per page), ms; ` +
			results.map((r) => `${int(r.plots)} plots / ${int(r.adoptions)} adoptions`).join(', '),
		[
			'page',
			...sizes.map((s) => `p50 ${s}`),
			...sizes.map((s) => `p95 ${s}`),
			...results.slice(1).map((_, i) => `${sizes[i + 1]}/${sizes[0]}`),
			'× floor',
			...(hasChanged ? [`after change p50 ${sizes[0]}`, `after change p50 ${sizes[sizes.length - 1]}`] : [])
		],
		pages.map((p) => [
			p.label,
			...results.map((r) => ms(p50(r.times, p.path))),
			...results.map((r) => ms(summarize(r.times.get(p.path)!).p95)),
			...results.slice(1).map((r) => ratio(p50(r.times, p.path), p50(first.times, p.path))),
			ratio(p50(last.times, p.path), p50(last.times, FLOOR)),
			...(hasChanged ? [ms(p50(first.changed, p.path)), ms(p50(last.changed, p.path))] : [])
		])
	);
}

function reportEmbedded(pages: Page[], r: SizeResult): void {
	printTable(
		`embedded (PGlite): public pages over HTTP, sequential requests (${summarize(r.times.get(FLOOR)!).n} per page), ms; ` +
			`${int(r.plots)} plots / ${int(r.adoptions)} adoptions`,
		['page', 'p50', 'p95', '× floor'],
		pages.map((p) => {
			const s = summarize(r.times.get(p.path)!);
			return [p.label, ms(s.p50), ms(s.p95), ratio(s.p50, p50(r.times, FLOOR))];
		})
	);
}

const Args = z.object({
	plots: z
		.string()
		.default('20000,100000,200000')
		.transform((s) => s.split(',').map(Number))
		.pipe(z.array(z.number().int().min(1000)).min(1))
		.transform((a) => [...new Set(a)].sort((x, y) => x - y)),
	embeddedPlots: z.coerce.number().int().min(0).default(20_000),
	only: z.enum(['postgres', 'embedded']).optional(),
	samples: z.coerce.number().int().min(1).max(1000).default(30),
	changed: z.coerce.number().int().min(0).max(100).default(5)
});

async function main(): Promise<void> {
	const args = benchArgs('bench:pages', Args, ['plots', 'embedded-plots', 'only', 'samples', 'changed']);
	const pgUrl = benchPostgresUrl();
	const reports: (() => void)[] = [];
	if (args.only !== 'embedded') {
		if (!pgUrl) {
			reports.push(() =>
				console.log(
					'PostgreSQL + PostGIS: SKIPPED — no server given. Set BENCH_DATABASE_URL (or DATABASE_URL), ' +
						'e.g. BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:55433/postgres npm run bench:pages'
				)
			);
		} else {
			const run = await runPostgres(pgUrl, args.plots, args.samples, args.changed);
			reports.push(() => reportPostgres(run.label, run.pages, run.results));
		}
	}
	if (args.only !== 'postgres') {
		const run = await runEmbedded(args.embeddedPlots, args.samples);
		reports.push(() => reportEmbedded(run.pages, run.result));
	}
	for (const report of reports) report();
}

await main();

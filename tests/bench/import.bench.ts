/**
 * `npm run bench:import`: imports 100,000 generated plots into a fresh embedded database
 * and a fresh PostgreSQL + PostGIS database, and compares each with a baseline measured in
 * the same run on the same database: the bare cost of getting the same geometries in
 * (one transaction of batched INSERT … ST_GeomFromGeoJSON into a table with the same
 * indexes as plots — no validation, repair, measuring or neighbourhood assignment).
 *
 *   npm run bench:import                         both databases, 100,000 plots
 *   npm run bench:import -- --plots 20000        fewer plots
 *   npm run bench:import -- --only embedded      one database (embedded | postgres)
 *
 * PostgreSQL: the server in BENCH_DATABASE_URL, else DATABASE_URL; a database is created
 * for the run and dropped afterwards. Without either, that half is skipped (exit 0).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows, type Db } from '#server/db';
import { importPlots, type PlotImportSummary } from '#server/import';
import { benchPostgresUrl, freshEmbeddedDatabase, freshPostgresDatabase, importDelftNeighbourhoods, type BenchDatabase } from './lib/databases';
import { profileDb, type StatementTime } from './lib/profile';
import { timed } from './lib/stats';
import { syntheticPlotsFile } from './lib/synthetic';
import { int, ms, printTable, rate, ratio, seconds } from './lib/table';

process.chdir(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..'));

const Args = z.object({
	plots: z.coerce.number({ error: '--plots must be a number' }).int().min(1000).max(1_000_000).default(100_000),
	only: z.enum(['embedded', 'postgres']).optional()
});

interface Result {
	label: string;
	plots: number;
	importMs: number;
	baselineMs: number;
	summary: PlotImportSummary;
	statements: StatementTime[];
	sqlMs: number;
	beforeFirstBatchMs: number;
}

/** The baseline: the same features, batched into a bare table in one transaction. */
async function baselineInsert(db: Db, file: string, batchSize = 1000): Promise<number> {
	type F = { properties: { lokaalID: string }; geometry: unknown };
	const features = (JSON.parse(fs.readFileSync(file, 'utf8')) as { features: F[] }).features;
	await db.transaction(async (tx) => {
		await tx.execute(sql`create table bench_baseline (
			id serial primary key, source_id text not null unique, geom geometry(MultiPolygon, 4326) not null)`);
		await tx.execute(sql`create index bench_baseline_geom_gix on bench_baseline using gist (geom)`);
		for (let i = 0; i < features.length; i += batchSize) {
			const json = JSON.stringify(
				features.slice(i, i + batchSize).map((f) => ({ key: f.properties.lokaalID, geometry: f.geometry }))
			);
			await tx.execute(sql`
				insert into bench_baseline (source_id, geom)
				select r.key, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(r.geometry), 4326))
				from json_to_recordset(${json}::json) as r(key text, geometry json)`);
		}
	});
	const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from bench_baseline`);
	await db.execute(sql`drop table bench_baseline`);
	return row.n;
}

function progressLine(label: string): (done: number, total: number) => void {
	let last = 0;
	return (done, total) => {
		if (!process.stderr.isTTY || (performance.now() - last < 250 && done < total)) return;
		last = performance.now();
		process.stderr.write(`\r  ${label}: staged ${int(done)} / ${int(total)}\x1b[K`);
	};
}

async function runOn(bench: BenchDatabase, file: string, plots: number): Promise<Result> {
	const { database } = bench;
	console.log(`\n${bench.label}`);
	const neighbourhoods = await timed(() => importDelftNeighbourhoods(database));
	console.log(`  ${neighbourhoods.value} Delft neighbourhoods imported in ${seconds(neighbourhoods.ms)} s (warm-up, not counted)`);

	const profiler = profileDb(database.db);
	const started = performance.now();
	let firstBatchAt = 0;
	const progress = progressLine('importer');
	const imported = await timed(() =>
		importPlots(profiler.db, { file }, { owner: 'G0503' }, (done, total) => {
			firstBatchAt ||= performance.now();
			progress(done, total);
		})
	);
	if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
	const s = imported.value;
	console.log(
		`  importer: ${int(s.new)} new, ${s.rejected} rejected, ${s.repaired} repaired, ` +
			`${s.withoutNeighbourhood} without neighbourhood — ${seconds(imported.ms)} s`
	);
	if (s.new !== plots || s.rejected > 0 || s.withoutNeighbourhood > 0) {
		console.log('  ! the importer did not take every generated plot as new and placed: check the figures above');
	}

	const baseline = await timed(() => baselineInsert(database.db, file));
	console.log(`  baseline: ${int(baseline.value)} rows — ${seconds(baseline.ms)} s`);
	return {
		label: bench.label,
		plots,
		importMs: imported.ms,
		baselineMs: baseline.ms,
		summary: s,
		statements: profiler.statements(),
		sqlMs: profiler.totalSqlMs(),
		beforeFirstBatchMs: firstBatchAt - started
	};
}

function printProfile(r: Result): void {
	const share = (ms: number) => `${((100 * ms) / r.importMs).toFixed(0)}%`;
	// For repeated statements (the staging batches): is the first tenth as quick as the last?
	const trend = (t: StatementTime) => {
		if (t.samples.length < 10) return '';
		const tenth = Math.ceil(t.samples.length / 10);
		const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
		return `${ms(mean(t.samples.slice(0, tenth)))} → ${ms(mean(t.samples.slice(-tenth)))}`;
	};
	const top = r.statements.slice(0, 7);
	const rows: (string | number)[][] = top.map((t) => [t.statement, t.calls, seconds(t.ms), share(t.ms), trend(t)]);
	const rest = r.statements.slice(top.length);
	if (rest.length > 0) {
		const restMs = rest.reduce((sum, t) => sum + t.ms, 0);
		rows.push([`(${rest.length} other statements)`, rest.reduce((n, t) => n + t.calls, 0), seconds(restMs), share(restMs), '']);
	}
	const jsMs = r.importMs - r.sqlMs;
	rows.push(['JavaScript outside SQL (read, parse, check, serialise batches)', '', seconds(jsMs), share(jsMs), '']);
	rows.push(['  of which before the first batch was sent', '', seconds(r.beforeFirstBatchMs), share(r.beforeFirstBatchMs), '']);
	printTable(`Where the importer's time goes — ${r.label}`, ['statement (first words)', 'calls', 's', 'share', 'ms/call first → last 10%'], rows);
}

async function main(): Promise<void> {
	const { values } = parseArgs({ options: { plots: { type: 'string' }, only: { type: 'string' } }, strict: true });
	const parsed = Args.safeParse(values);
	if (!parsed.success) {
		console.error(`bench:import: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
		process.exit(1);
	}
	const { plots, only } = parsed.data;
	const pgUrl = benchPostgresUrl();

	console.log(`Import benchmark: ${int(plots)} synthetic plots in Delft's 91 neighbourhoods`);
	const file = await syntheticPlotsFile(plots);
	const results: Result[] = [];
	const skipped: string[] = [];

	if (only !== 'postgres') {
		const bench = await freshEmbeddedDatabase('import');
		try {
			results.push(await runOn(bench, file, plots));
		} finally {
			await bench.drop();
		}
	}
	if (only !== 'embedded') {
		if (!pgUrl) {
			skipped.push(
				'PostgreSQL + PostGIS: SKIPPED — no server given. Set BENCH_DATABASE_URL (or DATABASE_URL), ' +
					'e.g. BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5433/perkje npm run bench:import'
			);
		} else {
			const bench = await freshPostgresDatabase(pgUrl, 'import');
			try {
				results.push(await runOn(bench, file, plots));
			} finally {
				await bench.drop();
			}
		}
	}

	for (const r of results) printProfile(r);
	if (results.length > 0) printTable(
		`Import of ${int(plots)} generated plots (baseline: batched INSERT … ST_GeomFromGeoJSON of the same features, same indexes, no checks)`,
		['database', 'plots', 'importer s', 'importer plots/s', 'baseline s', 'baseline plots/s', 'importer ÷ baseline'],
		results.map((r) => [
			r.label,
			int(r.plots),
			seconds(r.importMs),
			rate(r.plots, r.importMs),
			seconds(r.baselineMs),
			rate(r.plots, r.baselineMs),
			ratio(r.importMs, r.baselineMs)
		])
	);
	for (const line of skipped) console.log(line);
}

await main();

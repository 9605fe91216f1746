/**
 * `npm run bench:start`: how long `npm start -- --no-build` takes on the embedded database
 * (PGlite + PostGIS) until the first HTTP 200 on `/`.
 *
 *   - cold: an empty data folder, so the start creates the database and imports the demo;
 *   - warm: the second start of that same folder (what a newcomer waits for every day);
 *   - baseline, in the same run and on the same folder: a bare Node process that opens
 *     PGlite with PostGIS, runs one PostGIS query and closes, so the ratio says how much of
 *     a warm start is ours and how much the engine's.
 *
 * Each start is a real child process on a free port, stopped with SIGTERM before the next.
 * Needs a build (npm run build). Options: --rounds N (default 3).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from './lib/ports';
import { summarize } from './lib/stats';
import { ms, printTable, ratio, seconds } from './lib/table';
import { npmStartArgs } from '#tests/support/start-command.js';

const { values } = parseArgs({ options: { rounds: { type: 'string' } } });
const rounds = Number(values.rounds ?? 3);
const root = process.cwd();

if (!fs.existsSync(path.join(root, 'build', 'handler.js'))) {
	console.error('There is no build in ./build: run npm run build first.');
	process.exit(1);
}

function exited(child: ChildProcess): Promise<void> {
	return new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
}

async function firstOk(url: string, child: ChildProcess, log: () => string): Promise<void> {
	const deadline = performance.now() + 180_000;
	while (performance.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`the start ended (exit ${child.exitCode}):\n${log()}`);
		try {
			const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
			await response.arrayBuffer();
			if (response.status === 200) return;
		} catch {
			// Not listening yet.
		}
		await new Promise((r) => setTimeout(r, 25));
	}
	throw new Error(`no 200 on ${url} within 180 s:\n${log()}`);
}

interface Start {
	/** Spawn until the first 200 on `/`. */
	ms: number;
	/** What the app logged: its own start-up ('app ready') and the process's ('listening'). */
	appReadyMs?: number;
	listeningMs?: number;
}

async function start(dataDir: string): Promise<Start> {
	const port = await freePort();
	let output = '';
	const began = performance.now();
	const child = spawn(process.execPath, npmStartArgs('--no-build'), {
		cwd: root,
		env: { ...process.env, DATABASE_URL: '', PERKJE_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info' },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout!.on('data', (d) => (output += d));
	child.stderr!.on('data', (d) => (output += d));
	try {
		await firstOk(`http://127.0.0.1:${port}/`, child, () => output);
	} catch (e) {
		child.kill('SIGKILL');
		throw e;
	}
	const took = performance.now() - began;
	child.kill('SIGTERM');
	await exited(child);
	const logged = (msg: string, key: string) => {
		for (const line of output.split('\n')) {
			if (!line.startsWith('{')) continue;
			const entry = JSON.parse(line) as Record<string, unknown>;
			if (entry.msg === msg) return entry[key] as number;
		}
		return undefined;
	};
	return { ms: took, appReadyMs: logged('app ready', 'durationMs'), listeningMs: logged('listening', 'startupMs') };
}

/** A bare process: PGlite with the app's PostGIS bundle and settings on `dataDir`, one query. */
const BARE_OPEN = `
import { PGlite } from '@electric-sql/pglite';
import { slimPostgis } from '#lib/server/db/postgis-bundle.ts';
import { EMBEDDED_START_PARAMS } from '#lib/server/db/connection.ts';
const db = new PGlite(process.argv[1], { extensions: { postgis: slimPostgis }, startParams: EMBEDDED_START_PARAMS });
await db.query('select postgis_lib_version()');
await db.close();
`;

async function bareOpen(dataDir: string): Promise<number> {
	const began = performance.now();
	const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', BARE_OPEN, dataDir], {
		cwd: root,
		stdio: ['ignore', 'ignore', 'inherit']
	});
	await exited(child);
	if (child.exitCode !== 0) throw new Error(`the bare PGlite open failed (exit ${child.exitCode})`);
	return performance.now() - began;
}

const cold: Start[] = [];
const warm: Start[] = [];
const bare: number[] = [];
for (let round = 1; round <= rounds; round++) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perkje-bench-start-'));
	const dataDir = path.join(dir, 'pglite');
	try {
		cold.push(await start(dataDir));
		warm.push(await start(dataDir));
		bare.push(await bareOpen(dataDir));
		console.error(
			`round ${round}: cold ${seconds(cold.at(-1)!.ms)} s, warm ${seconds(warm.at(-1)!.ms)} s, bare open ${seconds(bare.at(-1)!)} s`
		);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

const p50 = (xs: (number | undefined)[]) => summarize(xs.filter((x): x is number => x !== undefined)).p50;
const base = p50(bare);
const row = (label: string, starts: Start[]) => [
	label,
	seconds(p50(starts.map((s) => s.ms))),
	seconds(base),
	ratio(p50(starts.map((s) => s.ms)), base),
	ms(p50(starts.map((s) => s.appReadyMs))),
	ms(p50(starts.map((s) => s.listeningMs)))
];
printTable(
	`npm start -- --no-build on the embedded database, ${rounds} rounds, p50 (${os.cpus().length} cores)`,
	['start', 'to first 200 on / (s)', 'bare PGlite+PostGIS open (s)', 'ratio', "app's 'app ready' (ms)", "'listening' (ms)"],
	[row('cold (empty folder, demo import)', cold), row('warm (same folder again)', warm)]
);

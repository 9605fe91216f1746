/**
 * `npm run bench:media`: photos, each figure against a baseline measured in the same run.
 *
 *   1. ingest: photos/s of a 12-megapixel JPEG (4000×3000 noise, quality 90) through
 *      ingestPhoto (checks, decode, both WebP variants, one transaction) against sharp's bare
 *      resize of the same file to the same two variants (two pipelines, same WebP settings).
 *      Rounds alternate, so a neighbour's load hits both alike. Aim: ≤ 1.3×.
 *   2. memory: the resident set of the app as `npm start` runs it while 8 of those photos
 *      are uploaded at once over HTTP, against the same process idle after one upload.
 *      Aim: peak ≤ 400 MB.
 *   3. serving: GET /media/<hash> of a cached variant (revalidations aside, plain 200s) at
 *      50 connections, against a minimal node:http server answering the same bytes with the
 *      same headers. req/s and p95.
 *
 * Database: BENCH_DATABASE_URL (a throwaway database on that server) or embedded PGlite for
 * part 1; the app of parts 2 and 3 runs on its own embedded database in a temp folder.
 * Needs a build (npm run build). Options: --photos N (per round, default 6), --rounds N
 * (default 3), --duration S (serving, default 8).
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { PHOTO_VARIANTS } from '#lib/domain/media.js';
import { ingestPhoto } from '#server/media';
import { benchPostgresUrl, freshEmbeddedDatabase, freshPostgresDatabase } from './lib/databases';
import { freePort } from './lib/ports';
import { percentile, summarize } from './lib/stats';
import { int, ms, printTable, ratio } from './lib/table';
import { npmStartArgs } from '#tests/support/start-command.js';

const { values } = parseArgs({ options: { photos: { type: 'string' }, rounds: { type: 'string' }, duration: { type: 'string' } } });
const PHOTOS = Number(values.photos ?? 6);
const ROUNDS = Number(values.rounds ?? 3);
const DURATION_S = Number(values.duration ?? 8);
const CONNECTIONS = 50;
const CONCURRENT_UPLOADS = 8;
const root = process.cwd();

if (!fs.existsSync(path.join(root, 'build', 'handler.js'))) {
	console.error('There is no build in ./build: run npm run build first.');
	process.exit(1);
}

console.log('Making a 12-megapixel JPEG (4000×3000, quality 90)…');
const photo = await sharp({
	create: { width: 4000, height: 3000, channels: 3, background: '#6a8f4e', noise: { type: 'gaussian', mean: 120, sigma: 30 } }
})
	.jpeg({ quality: 90 })
	.toBuffer();
console.log(`  ${(photo.length / 1024 / 1024).toFixed(1)} MB`);

// --- 1. ingest against bare sharp -------------------------------------------------------

const WEBP = { quality: 80, effort: 4 } as const;
async function bareResize(bytes: Buffer): Promise<void> {
	await Promise.all(
		Object.values(PHOTO_VARIANTS).map((side) =>
			sharp(bytes).rotate().resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true }).webp(WEBP).toBuffer()
		)
	);
}

const serverUrl = benchPostgresUrl();
const bench = serverUrl ? await freshPostgresDatabase(serverUrl, 'media') : await freshEmbeddedDatabase('media');
const db = bench.database.db;
await db.execute(sql`insert into users (id, email, email_verified) values ('bench', 'bench@voorbeeld.nl', true)`);

async function perSecond(run: () => Promise<unknown>): Promise<number> {
	const started = performance.now();
	for (let i = 0; i < PHOTOS; i++) await run();
	return (PHOTOS * 1000) / (performance.now() - started);
}

await ingestPhoto(db, { ownerUserId: 'bench', bytes: photo }); // warm both paths
await bareResize(photo);
const ingestRates: number[] = [];
const bareRates: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
	bareRates.push(await perSecond(() => bareResize(photo)));
	ingestRates.push(
		await perSecond(async () => {
			const result = await ingestPhoto(db, { ownerUserId: 'bench', bytes: photo });
			if (!result.ok) throw new Error(`refused: ${result.reason}`);
		})
	);
}
const ingest = summarize(ingestRates).p50;
const bare = summarize(bareRates).p50;

// --- 2 and 3: the app as npm start runs it ------------------------------------------------

// The app on PostgreSQL when there is one: the embedded engine's WebAssembly heap alone is
// several hundred MB of the process, which would hide what uploads cost.
const appDatabase = serverUrl ? await freshPostgresDatabase(serverUrl, 'media_app') : undefined;
await appDatabase?.database.close();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'perkje-media-bench-'));
const appPort = await freePort();
const appUrl = `http://127.0.0.1:${appPort}`;
let output = '';
let child: ChildProcess;
function startAppProcess(): Promise<void> {
	output = '';
	child = spawn(process.execPath, npmStartArgs('--no-build'), {
		cwd: root,
		env: {
			...process.env,
			DATABASE_URL: appDatabase?.url ?? '',
			PERKJE_DATA_DIR: path.join(scratch, 'pglite'),
			PERKJE_DEMO: 'true',
			PORT: String(appPort),
			HOST: '127.0.0.1',
			LOG_LEVEL: 'warn'
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout!.on('data', (d) => (output += d));
	child.stderr!.on('data', (d) => (output += d));
	return new Promise<void>((resolve, reject) => {
		const check = () => output.includes('Perkje draait op') && resolve();
		child.stdout!.on('data', check);
		child.once('exit', (code) => reject(new Error(`the app ended (${code}):\n${output}`)));
	});
}
const cleanUp = async () => {
	child?.kill('SIGKILL');
	fs.rmSync(scratch, { recursive: true, force: true });
	await bench.drop();
	await appDatabase?.drop();
};
// The first start loads the demo (parsing its GeoJSON grows the heap for good); measured is
// the second, as a server runs on any day after that.
await startAppProcess();
const seeded = child!;
seeded.kill('SIGTERM');
await new Promise((resolve) => seeded.once('exit', resolve));
await startAppProcess().catch(async (e) => {
	await cleanUp();
	throw e;
});
const signIn = await fetch(`${appUrl}/aanmelden?/password`, {
	method: 'POST',
	redirect: 'manual',
	headers: { origin: appUrl, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
	body: new URLSearchParams({ email: 'bewoner@demo.perkje.invalid', password: 'perkje-demo-2024' })
});
const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');

async function upload(): Promise<{ large: string; small: string }> {
	const form = new FormData();
	form.append('photo', new Blob([photo as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }), 'photo.jpg');
	const response = await fetch(`${appUrl}/api/photos`, { method: 'POST', headers: { origin: appUrl, cookie }, body: form });
	if (response.status !== 201) throw new Error(`upload: ${response.status} ${await response.text()}`);
	return (await response.json()) as { large: string; small: string };
}

function rssMb(pid: number): number {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

await new Promise((r) => setTimeout(r, 500));
const startRss = rssMb(child!.pid!);
const first = await upload();
await new Promise((r) => setTimeout(r, 500));
const idleRss = rssMb(child!.pid!);
let peakRss = idleRss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(child!.pid!))), 20);
const burstStarted = performance.now();
await Promise.all(Array.from({ length: CONCURRENT_UPLOADS }, upload));
const burstMs = performance.now() - burstStarted;
clearInterval(sampler);
peakRss = Math.max(peakRss, rssMb(child!.pid!));

// Serving: the large variant, 200s only (no If-None-Match), like a first visit of many people.
const mediaPath = first.large;
const served = await fetch(appUrl + mediaPath);
const bytes = Buffer.from(await served.arrayBuffer());
const headers: Record<string, string> = {};
for (const name of ['content-type', 'content-length', 'etag', 'cache-control', 'x-content-type-options']) headers[name] = served.headers.get(name)!;

const staticServer = http.createServer((_req, res) => {
	res.writeHead(200, headers);
	res.end(bytes);
});
const staticPort = await freePort();
await new Promise<void>((resolve) => staticServer.listen(staticPort, '127.0.0.1', resolve));

interface Load {
	rps: number;
	p95: number;
	errors: number;
}
async function load(url: string): Promise<Load> {
	const latencies: number[] = [];
	const result = await new Promise<autocannon.Result>((resolve, reject) => {
		const instance = autocannon({ url, connections: CONNECTIONS, duration: DURATION_S }, (err, res) => (err ? reject(err) : resolve(res)));
		(instance as unknown as EventEmitter).on('response', (...args: unknown[]) => latencies.push(args[3] as number));
	});
	return { rps: result.requests.total / DURATION_S, p95: percentile(latencies, 95), errors: result.errors + result.non2xx };
}

const appLoads: Load[] = [];
const staticLoads: Load[] = [];
for (let round = 0; round < 2; round++) {
	staticLoads.push(await load(`http://127.0.0.1:${staticPort}${mediaPath}`));
	appLoads.push(await load(appUrl + mediaPath));
}
staticServer.close();
const best = (loads: Load[]) => loads.reduce((a, b) => (b.rps > a.rps ? b : a));
const appLoad = best(appLoads);
const staticLoad = best(staticLoads);

printTable(
	`Photos: ${os.availableParallelism()} cores, ${bench.label}; ingest the median of ${ROUNDS} rounds of ${PHOTOS} photos`,
	['measure', 'Perkje', 'baseline', 'ratio', 'baseline is'],
	[
		['12 MP JPEG → large + small WebP, photos/s', ingest.toFixed(2), bare.toFixed(2), ratio(bare, ingest), 'sharp resize, two pipelines, no checks, no database'],
		[
			`RSS of npm start, ${CONCURRENT_UPLOADS} uploads at once (MB)`,
			int(peakRss),
			int(idleRss),
			`+${int(peakRss - idleRss)} MB`,
			`the same process idle after one upload (burst took ${ms(burstMs)} ms)`
		],
		['  RSS before its first photo (MB)', int(startRss), null, null, 'the app started, sharp not loaded yet'],
		[`GET /media/<hash>, ${CONNECTIONS} connections, req/s`, int(appLoad.rps), int(staticLoad.rps), ratio(staticLoad.rps, appLoad.rps), 'node:http answering the same bytes'],
		[`  p95 latency (ms)`, ms(appLoad.p95), ms(staticLoad.p95), ratio(appLoad.p95, staticLoad.p95), `${bytes.length} bytes; errors ${appLoad.errors}/${staticLoad.errors}`]
	]
);
console.log('Ratios: time per photo (ingest / bare), req/s (static / app) and p95 (app / static); higher is slower.');
await cleanUp();
process.exit(0);

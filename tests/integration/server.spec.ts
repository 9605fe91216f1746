import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, queryRows, type Database, expectedMigrations, lockFilePath } from '#server/db';
import { tileForPoint } from '#lib/geo/tiles.js';
import { requireBuild, startApp, type AppProcess } from './fixtures/app-process';
import { rawRequest } from './fixtures/raw-http';
import { adminQuery, serverUrl, withDatabase } from './test-databases';

/**
 * The app as an operator meets it: `npm start` in its own process, real HTTP, a database
 * that starts out empty. Runs on the embedded database, or on PostgreSQL + PostGIS when
 * DATABASE_URL is set; a few checks exist for one of the two only (the folder lock is an
 * embedded thing, dropping the database under a running app a PostgreSQL thing).
 */
const server = serverUrl();
const embedded = !server;
const expected = expectedMigrations(process.cwd());
const PORT = 4110;

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'perkje-server-'));
const dataDir = path.join(scratch, 'pglite');
const pgName = `perkje_ops_server_${process.pid}`;
const appEnv: Record<string, string> = server
	? { DATABASE_URL: withDatabase(server, pgName), PERKJE_DEMO: 'true' }
	: { PERKJE_DATA_DIR: dataDir, PERKJE_DEMO: 'true' };

function openDirectly(): Database {
	return openDatabase({ databaseUrl: appEnv.DATABASE_URL, dataDir, holder: 'server test' });
}

async function plotCount(database: Database): Promise<number> {
	const rows = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from plots`);
	return rows[0].n;
}

function logsWith(app: AppProcess, msg: string) {
	return app.logs().filter((line) => line.msg === msg);
}

let app: AppProcess | undefined;

/** The cookie header of the demo resident, signed in on the running app. */
async function demoResidentSession(): Promise<string> {
	const signedIn = await fetch(`${app!.url}/aanmelden?/password`, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: app!.url, 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ email: 'bewoner@demo.perkje.invalid', password: 'perkje-demo-2024' })
	});
	return signedIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}

beforeAll(async () => {
	requireBuild();
	if (server) await adminQuery(server, `CREATE DATABASE "${pgName}"`);
});

afterAll(async () => {
	await app?.stop('SIGKILL');
	if (server) await adminQuery(server, `DROP DATABASE IF EXISTS "${pgName}" WITH (FORCE)`);
	fs.rmSync(scratch, { recursive: true, force: true });
});

describe('npm start', () => {
	it('on an empty database: migrates, loads the demo data, and /healthz says ok', async () => {
		app = startApp(PORT, appEnv);
		await app.ready;
		const [ready] = logsWith(app, 'app ready');
		expect(ready.migrations).toEqual({ applied: expected, expected, upToDate: true });
		expect(ready.seed).toMatchObject({ seeded: true });
		expect(app.output()).toContain(`Perkje draait op http://localhost:${PORT}`);

		const response = await fetch(`${app.url}/healthz`);
		expect(response.status).toBe(200);
		expect(response.headers.get('cache-control')).toBe('no-store');
		const body = await response.json();
		expect(body).toEqual({
			status: 'ok',
			database: {
				kind: embedded ? 'embedded' : 'postgres',
				reachable: true,
				latencyMs: expect.any(Number)
			},
			migrations: { applied: expected, expected, upToDate: true }
		});
	});

	it('logs one line per request with a request id, and never the query string', async () => {
		const fromProxy = 'proxy-7f3a9c2e-0001';
		const kept = await fetch(`${app!.url}/healthz?email=someone@example.nl`, {
			headers: { 'x-request-id': fromProxy }
		});
		expect(kept.headers.get('x-request-id')).toBe(fromProxy);

		const replaced = await fetch(`${app!.url}/does-not-exist`, {
			headers: { 'x-request-id': '<script>alert(1)</script>' }
		});
		expect(replaced.status).toBe(404);
		const ownId = replaced.headers.get('x-request-id');
		expect(ownId).toMatch(/^[0-9a-f-]{36}$/);

		await expect.poll(() => logsWith(app!, 'request').length).toBeGreaterThanOrEqual(3);
		const requests = logsWith(app!, 'request');
		expect(requests.find((l) => l.requestId === fromProxy)).toMatchObject({
			method: 'GET',
			path: '/healthz',
			status: 200,
			durationMs: expect.any(Number)
		});
		expect(requests.find((l) => l.requestId === ownId)).toMatchObject({
			path: '/does-not-exist',
			status: 404
		});
		expect(app!.output()).not.toContain('someone@example.nl');
		expect(app!.output()).not.toContain('<script>');
	});

	it('without ORIGIN accepts form posts from the address the browser used, over plain http', async () => {
		for (const origin of [`http://localhost:${PORT}`, `http://127.0.0.1:${PORT}`]) {
			const signIn = (password: string) =>
				fetch(`${origin}/aanmelden?/password`, {
					method: 'POST',
					redirect: 'manual',
					headers: {
						origin,
						accept: 'text/html',
						'sec-fetch-site': 'same-origin',
						'content-type': 'application/x-www-form-urlencoded'
					},
					body: new URLSearchParams({ email: 'bewoner@demo.perkje.invalid', password })
				});
			// Refused by the origin check was 403; a wrong password is the form's own 400.
			expect((await signIn('wrong password')).status).toBe(400);
			const ok = await signIn('perkje-demo-2024');
			expect(ok.status).toBe(303);
			const cookies = ok.headers.getSetCookie();
			expect(cookies.length).toBeGreaterThan(0);
			for (const cookie of cookies) {
				expect(cookie).toMatch(/HttpOnly/i);
				expect(cookie).not.toMatch(/;\s*Secure/i);
			}
		}
		// The account page of whoever just signed in is theirs alone: no cache keeps it.
		const session = await demoResidentSession();
		const account = await fetch(`${app!.url}/account`, { headers: { cookie: session } });
		expect(account.status).toBe(200);
		expect(account.headers.get('cache-control')).toBe('private, no-store');

		// A client cannot make the app believe it is served over https.
		const spoofed = await fetch(`${app!.url}/aanmelden?/password`, {
			method: 'POST',
			headers: {
				origin: app!.url,
				'x-perkje-served-protocol': 'https',
				'x-forwarded-proto': 'https',
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: new URLSearchParams({ email: 'bewoner@demo.perkje.invalid', password: 'wrong password' })
		});
		expect(spoofed.status).toBe(400);
		expect(spoofed.headers.get('strict-transport-security')).toBeNull();
	});

	it('serves static files with the same protective headers as pages', async () => {
		const immutable = fs.readdirSync('build/client/_app/immutable/entry')[0];
		for (const file of ['/favicon.svg', `/_app/immutable/entry/${immutable}`]) {
			const response = await fetch(`${app!.url}${file}`);
			expect(response.status, file).toBe(200);
			expect(response.headers.get('x-content-type-options'), file).toBe('nosniff');
			expect(response.headers.get('x-frame-options'), file).toBe('DENY');
			expect(response.headers.get('content-security-policy'), file).toContain("frame-ancestors 'none'");
		}
		// Pages keep their own, fuller policy.
		const page = await fetch(`${app!.url}/`);
		expect(page.headers.get('content-security-policy')).toContain("worker-src 'self' blob:");
	});

	it('compresses pages and downloads for a client that accepts it, and a tile only once', async () => {
		// Pages differ per request only in their script nonce.
		const sameHtml = (html: string) => html.replace(/nonce="[^"]*"/g, 'nonce=""');
		const plain = await rawRequest(`${app!.url}/`);
		expect(plain.headers['content-encoding']).toBeUndefined();
		expect(plain.headers.vary).toContain('Accept-Encoding');
		const html = sameHtml(plain.body.toString());
		const gzipped = await rawRequest(`${app!.url}/`, { 'accept-encoding': 'gzip' });
		expect(gzipped.headers['content-encoding']).toBe('gzip');
		expect(sameHtml(zlib.gunzipSync(gzipped.body).toString())).toBe(html);
		const brotli = await rawRequest(`${app!.url}/`, { 'accept-encoding': 'br' });
		expect(brotli.headers['content-encoding']).toBe('br');
		expect(sameHtml(zlib.brotliDecompressSync(brotli.body).toString())).toBe(html);
		expect(brotli.body.length).toBeLessThan(plain.body.length / 4);
		// The security headers are the same on a compressed page.
		for (const name of ['content-security-policy', 'x-frame-options', 'x-content-type-options', 'referrer-policy']) {
			expect(brotli.headers[name], name).toBeDefined();
		}

		// A tile arrives gzipped by the tile service, and is not compressed again on the way.
		const plots = await (await fetch(`${app!.url}/plots.geojson`)).json();
		const [lng, lat] = plots.features[0].geometry.coordinates[0][0][0];
		const t = tileForPoint(lng, lat, 15);
		const tile = await rawRequest(`${app!.url}/tiles/plots/${t.z}/${t.x}/${t.y}.mvt`, { 'accept-encoding': 'gzip, deflate, br' });
		expect(tile.status).toBe(200);
		expect(tile.headers['content-encoding']).toBe('gzip');
		const unzipped = zlib.gunzipSync(tile.body);
		// An MVT starts with a layer (field 3, length-delimited), not with gzip's magic bytes.
		expect(unzipped[0]).toBe(0x1a);
		expect(Number(tile.headers['content-length'])).toBe(tile.body.length);

		// The download of one's own data (the app's file download) is compressed too.
		const download = await rawRequest(`${app!.url}/account/gegevens`, {
			cookie: await demoResidentSession(),
			'accept-encoding': 'gzip'
		});
		expect(download.status).toBe(200);
		expect(download.headers['content-disposition']).toContain('attachment');
		expect(download.headers['content-encoding']).toBe('gzip');
		expect(JSON.parse(zlib.gunzipSync(download.body).toString())).toHaveProperty('generatedAt');
	});

	if (embedded) {
		it('refuses a second app on the same embedded folder, with one clear line', async () => {
			const second = startApp(PORT + 1, appEnv);
			expect(await second.exited).toBe(1);
			const fatal = second.logs().filter((line) => line.level === 'fatal');
			expect(fatal).toHaveLength(1);
			expect(fatal[0].msg).toBe(
				`Perkje cannot start: The embedded database in ${dataDir} is in use by the Perkje app ` +
					`(pid ${app!.pid}). Stop that process first, or run against PostgreSQL with DATABASE_URL.`
			);
			expect(second.output()).not.toMatch(/^\s+at /m);
			// The first one did not notice.
			expect((await fetch(`${app!.url}/healthz`)).status).toBe(200);
		});

		it('on SIGTERM closes the database, releases the folder and exits 0', async () => {
			// An idle keep-alive connection must not hold the shutdown open.
			await fetch(`${app!.url}/healthz`, { headers: { connection: 'keep-alive' } });
			const started = Date.now();
			expect(await app!.stop('SIGTERM')).toBe(0);
			expect(Date.now() - started).toBeLessThan(5000);
			expect(logsWith(app!, 'database closed')).toHaveLength(1);
			expect(fs.existsSync(lockFilePath(dataDir))).toBe(false);
		});
	} else {
		it('lets a second app process start on the same PostgreSQL database', async () => {
			const second = startApp(PORT + 1, appEnv);
			try {
				await second.ready;
				expect((await fetch(`${second.url}/healthz`)).status).toBe(200);
			} finally {
				expect(await second.stop()).toBe(0);
			}
		});

		it('on SIGTERM finishes the request in flight, refuses new ones, and exits 0', async () => {
			// Hold a lock the health check needs, so its request stays in flight.
			const blocker = new pg.Client({ connectionString: appEnv.DATABASE_URL });
			await blocker.connect();
			try {
				await blocker.query('begin');
				await blocker.query('lock table drizzle.__drizzle_migrations in access exclusive mode');
				const inFlight = fetch(`${app!.url}/healthz`);
				await new Promise((resolve) => setTimeout(resolve, 300));
				app!.child.kill('SIGTERM');
				await expect.poll(() => app!.output()).toContain('Perkje stopt (SIGTERM)');
				await expect(fetch(`${app!.url}/healthz`)).rejects.toThrow();
				await blocker.query('commit');
				const response = await inFlight;
				expect(response.status).toBe(200);
				expect((await response.json()).status).toBe('ok');
			} finally {
				await blocker.end();
			}
			expect(await app!.exited).toBe(0);
			expect(logsWith(app!, 'database closed')).toHaveLength(1);
		});
	}

	it('keeps its data over a restart, starts quicker, and does not load the demo again', async () => {
		const database = openDirectly();
		let before: number;
		try {
			before = await plotCount(database);
			expect(before).toBeGreaterThan(0);
			await database.db.execute(sql`
				insert into plots (source_id, dataset, kind, area_m2, geom, label_point)
				values ('ops-restart-probe', 'ops-test', 'groenvoorziening', 100,
				        ST_Multi(ST_MakeEnvelope(4.35, 52.01, 4.3501, 52.0101, 4326)),
				        ST_SetSRID(ST_MakePoint(4.35005, 52.01005), 4326))`);
		} finally {
			await database.close();
		}

		app = startApp(PORT, appEnv);
		await app.ready;
		const [ready] = logsWith(app, 'app ready');
		expect(ready.seed).toEqual({ seeded: false });
		expect(ready.migrations).toEqual({ applied: expected, expected, upToDate: true });
		const [listening] = logsWith(app, 'listening');
		console.log(`[ops] second start: ready after ${listening.startupMs} ms`);
		expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
		if (embedded) expect(await app.stop()).toBe(0);

		const again = openDirectly();
		try {
			expect(await plotCount(again)).toBe(before + 1);
			const probe = await queryRows<{ kind: string }>(
				again.db,
				sql`select kind from plots where source_id = 'ops-restart-probe'`
			);
			expect(probe).toEqual([{ kind: 'groenvoorziening' }]);
		} finally {
			await again.close();
		}
	});

	if (embedded) {
		it('stops cleanly on one Ctrl-C that arrives twice (terminal and npm), leaving no lock', async () => {
			app = startApp(PORT, appEnv);
			await app.ready;
			// The terminal signals the process group and npm passes the signal on as well.
			app.child.kill('SIGINT');
			app.child.kill('SIGINT');
			expect(await app.exited).toBe(0);
			expect(app.output()).not.toContain('Perkje stopt direct');
			expect(logsWith(app, 'database closed')).toHaveLength(1);
			expect(fs.existsSync(lockFilePath(dataDir))).toBe(false);
		});
	}

	if (!embedded) {
		it('once its database is gone: /healthz says 503, a page 500 with only a request id', async () => {
			await adminQuery(server!, `DROP DATABASE "${pgName}" WITH (FORCE)`);
			const response = await fetch(`${app!.url}/healthz`);
			expect(response.status).toBe(503);
			expect(response.headers.get('cache-control')).toBe('no-store');
			expect(await response.json()).toEqual({
				status: 'unavailable',
				database: { kind: 'postgres', reachable: false, latencyMs: null },
				migrations: { applied: null, expected, upToDate: false }
			});

			// A page that needs the database fails; the visitor gets an id to quote, the log
			// gets the cause under that id, and the cause never reaches the visitor.
			const page = await fetch(`${app!.url}/`);
			expect(page.status).toBe(500);
			const requestId = page.headers.get('x-request-id')!;
			const html = await page.text();
			expect(html).toContain(requestId);
			expect(html).not.toContain(pgName);
			await expect
				.poll(() => logsWith(app!, 'unexpected error').find((l) => l.requestId === requestId))
				.toMatchObject({ status: 500, path: '/', err: { message: expect.stringContaining(pgName) } });
			expect(await app!.stop()).toBe(0);
		});
	}

	it('refuses to start on an unreachable PostgreSQL server, in one line, without the password', async () => {
		const refused = startApp(PORT + 2, {
			DATABASE_URL: 'postgres://perkje:hunter2@127.0.0.1:4199/perkje'
		});
		expect(await refused.exited).toBe(1);
		const fatal = refused.logs().filter((line) => line.level === 'fatal');
		expect(fatal).toHaveLength(1);
		expect(fatal[0].msg).toMatch(
			/^Perkje cannot start: Cannot reach the PostgreSQL server at postgres:\/\/perkje:\*\*\*@127\.0\.0\.1:4199\/perkje: ECONNREFUSED/
		);
		expect(refused.output()).not.toContain('hunter2');
		expect(refused.output()).not.toMatch(/^\s+at /m);
	});

	it('refuses an invalid configuration, naming the variable', async () => {
		const refused = startApp(PORT + 3, { LOG_LEVEL: 'chatty' });
		expect(await refused.exited).toBe(1);
		const fatal = refused.logs().filter((line) => line.level === 'fatal');
		expect(fatal).toHaveLength(1);
		expect(fatal[0].msg).toMatch(/^Perkje cannot start: Invalid configuration: LOG_LEVEL: /);
	});

	it('refuses a bad value it once replaced by a default, in that one line, before the database', async () => {
		const folder = path.join(scratch, 'never-opened');
		const refused = startApp(PORT + 4, { PERKJE_DATA_DIR: folder, PERKJE_STALE_WEEKS: 'abc' });
		expect(await refused.exited).toBe(1);
		const fatal = refused.logs().filter((line) => line.level === 'fatal');
		expect(fatal.map((line) => line.msg)).toEqual([
			'Perkje cannot start: Invalid configuration: PERKJE_STALE_WEEKS: must be a whole number of weeks from 1 to 104 (got "abc")'
		]);
		expect(refused.output()).not.toContain('Database voorbereiden');
		expect(fs.existsSync(folder)).toBe(false);
	});

	it('as `node build` (adapter-node\'s own server) refuses it the same way, before the database', async () => {
		const folder = path.join(scratch, 'never-opened-either');
		const child = spawn(process.execPath, ['build'], {
			env: { ...process.env, PERKJE_DATA_DIR: folder, PERKJE_BASEMAP_STYLE_URL: 'not a url', PORT: String(PORT + 5) },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let output = '';
		child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
		const code = await new Promise((resolve) => child.on('exit', (c, signal) => resolve(c ?? signal)));
		expect(code).toBe(1);
		const fatal = output
			.split('\n')
			.filter((line) => line.startsWith('{'))
			.map((line) => JSON.parse(line) as Record<string, unknown>)
			.filter((line) => line.level === 'fatal');
		expect(fatal.map((line) => line.msg)).toEqual([
			'Perkje cannot start: Invalid configuration: PERKJE_BASEMAP_STYLE_URL: must be the http:// or https:// address of a MapLibre style (got "not a url")'
		]);
		expect(fs.existsSync(folder)).toBe(false);
	});
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tileForPoint } from '#lib/geo/tiles.js';
import { requireBuild, startApp, type AppProcess } from './fixtures/app-process';
import { rawRequest, type RawResponse } from './fixtures/raw-http';

/**
 * `npm start` answers tiles before SvelteKit (src/lib/server/fast-path.ts). Which path
 * answered shows only in a debug line, so this app logs at debug level; everything a client
 * sees, and the request log line, must be the same either way.
 */
const PORT = 4130;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'perkje-fast-path-'));
let app: AppProcess;

beforeAll(async () => {
	requireBuild();
	app = startApp(PORT, { PERKJE_DATA_DIR: path.join(scratch, 'pglite'), PERKJE_DEMO: 'true', LOG_LEVEL: 'debug' });
	await app.ready;
}, 120_000);

afterAll(async () => {
	await app?.stop('SIGTERM');
	fs.rmSync(scratch, { recursive: true, force: true });
});

let sent = 0;
async function ask(url: string, headers: Record<string, string>) {
	const requestId = `fast-path-spec-${String(++sent).padStart(4, '0')}`;
	const response = await rawRequest(`${app.url}${url}`, { ...headers, 'x-request-id': requestId });
	expect(response.headers['x-request-id']).toBe(requestId);
	return { requestId, response };
}

function fromCache(requestId: string): boolean {
	return app.logs().some((l) => l.msg === 'answered from the tile cache' && l.requestId === requestId);
}

function renderedBeforeFramework(requestId: string): boolean {
	return app.logs().some((l) => l.msg === 'rendered before the framework' && l.requestId === requestId);
}

function requestLine(requestId: string) {
	const line = app.logs().find((l) => l.msg === 'request' && l.requestId === requestId);
	expect(line, requestId).toBeDefined();
	const { time: _time, durationMs, requestId: _id, ...rest } = line!;
	expect(durationMs).toEqual(expect.any(Number));
	return rest;
}

/** What a client can tell apart: everything but the date and the id it sent itself. */
function visible(response: RawResponse) {
	const { date: _date, 'x-request-id': _id, ...headers } = response.headers;
	return { status: response.status, headers, body: response.body.toString('base64') };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Longer than the tile service trusts one read of data_versions (versionTtlMs). */
const STALE_MS = 1100;

describe('cached tiles before the framework', () => {
	it('are answered exactly as the framework answers them, and only while the data version is fresh', async () => {
		const plots = JSON.parse((await rawRequest(`${app.url}/plots.geojson`)).body.toString());
		const [lng, lat] = plots.features[0].geometry.coordinates[0][0][0];
		const t = tileForPoint(lng, lat, 15);
		const tile = `/tiles/plots/${t.z}/${t.x}/${t.y}.mvt`;
		const first = await ask(tile, { 'accept-encoding': 'gzip' });
		const etag = String(first.response.headers.etag);
		const empty = tileForPoint(lng + 1, lat, 15);
		const cases: Array<[string, Record<string, string>, number]> = [
			[tile, { 'accept-encoding': 'gzip, deflate, br' }, 200],
			[tile, {}, 200],
			[tile, { 'accept-encoding': 'gzip', 'if-none-match': etag }, 304],
			[`${tile}?min_m2=1&state=onzin`, { 'accept-encoding': 'gzip' }, 200],
			[`/tiles/neighbourhoods/12/${t.x >> 3}/${t.y >> 3}.mvt`, { 'accept-encoding': 'gzip' }, 200],
			[`/tiles/plots/${empty.z}/${empty.x}/${empty.y}.mvt`, { 'accept-encoding': 'gzip' }, 204]
		];
		for (const [url, headers, status] of cases) {
			const label = `${url} ${JSON.stringify(headers)}`;
			await ask(url, headers); // rendered and cached, whichever path
			await wait(STALE_MS);
			// The version read is stale now: this one goes to SvelteKit, which reads it again…
			const framework = await ask(url, headers);
			// …and the next is answered from the cache, the same in every respect.
			const fast = await ask(url, headers);
			// The log arrives through a pipe: wait for the fast one's line; the other's came before it.
			await expect.poll(() => fromCache(fast.requestId), { message: label }).toBe(true);
			expect(fromCache(framework.requestId), label).toBe(false);
			expect(fast.response.status, label).toBe(status);
			expect(visible(fast.response), label).toEqual(visible(framework.response));
			expect(requestLine(fast.requestId), label).toEqual(requestLine(framework.requestId));
		}
	}, 60_000);

	it('are rendered before the framework when not cached, and answered as the framework answers them', async () => {
		const plots = JSON.parse((await rawRequest(`${app.url}/plots.geojson`)).body.toString());
		const [lng, lat] = plots.features.at(-1).geometry.coordinates[0][0][0];
		const t = tileForPoint(lng, lat, 17);
		const empty = tileForPoint(lng - 1, lat, 17);
		const cases: Array<[string, Record<string, string>, number]> = [
			[`/tiles/plots/${t.z}/${t.x}/${t.y}.mvt`, { 'accept-encoding': 'gzip, deflate, br' }, 200],
			[`/tiles/plots/${t.z}/${t.x}/${t.y}.mvt?max_m2=100000`, {}, 200],
			[`/tiles/plots/${empty.z}/${empty.x}/${empty.y}.mvt`, { 'accept-encoding': 'gzip' }, 204]
		];
		for (const [url, headers, status] of cases) {
			const label = `${url} ${JSON.stringify(headers)}`;
			await wait(STALE_MS);
			// Another tile through the framework, which reads the data version again…
			await ask(`/tiles/neighbourhoods/12/${t.x >> 5}/${t.y >> 5}.mvt`, {});
			// …so this one, not rendered before, is rendered by the fast path…
			const fast = await ask(url, headers);
			await expect.poll(() => renderedBeforeFramework(fast.requestId), { message: label }).toBe(true);
			await wait(STALE_MS);
			// …and the framework's answer, once the version read is stale again, is the same.
			const framework = await ask(url, headers);
			expect(renderedBeforeFramework(framework.requestId) || fromCache(framework.requestId), label).toBe(false);
			expect(fast.response.status, label).toBe(status);
			expect(visible(fast.response), label).toEqual(visible(framework.response));
			expect(requestLine(fast.requestId), label).toEqual(requestLine(framework.requestId));
		}
	}, 60_000);

	it('leave what is not a plain cached tile to the framework', async () => {
		for (const url of ['/tiles/plots/15/1/99999999999.mvt', '/tiles/plots/x/1/2.mvt', '/tiles/elsewhere/15/1/2.mvt']) {
			const { requestId, response } = await ask(url, {});
			expect(response.status, url).toBeGreaterThanOrEqual(400);
			await expect.poll(() => app.logs().some((l) => l.msg === 'request' && l.requestId === requestId)).toBe(true);
			expect(fromCache(requestId), url).toBe(false);
		}
	});
});

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '#tests/integration/fixtures/raw-http.js';
import { compressResponses } from './index';

/**
 * The middleware on a bare Node server; the app as started (`npm start`) is checked in
 * tests/integration/server.spec.ts.
 */
const text = 'Perkje '.repeat(1000);
let server: http.Server;
let base = '';
let releaseStream: () => void = () => {};

beforeAll(async () => {
	const compress = compressResponses();
	server = http.createServer((req, res) =>
		compress(req, res, () => {
			const send = (status: number, type: string, body?: string | Buffer, extra: Record<string, string> = {}) => {
				res.writeHead(status, { 'content-type': type, ...extra });
				res.end(body);
			};
			if (req.url === '/page') return send(200, 'text/html; charset=utf-8', text);
			// With its length, as SvelteKit's json() and pages send it: the size is known before the body.
			if (req.url === '/tiny') return send(200, 'application/json', '{"ok":true}', { 'content-length': '11' });
			if (req.url === '/image') return send(200, 'image/png', Buffer.alloc(5000));
			if (req.url === '/gzipped') {
				return send(200, 'application/vnd.mapbox-vector-tile', zlib.gzipSync(text), { 'content-encoding': 'gzip' });
			}
			if (req.url === '/not-modified') return send(304, 'text/html; charset=utf-8');
			if (req.url === '/no-content') return send(204, 'application/geo+json');
			if (req.url === '/stream') {
				res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
				res.write('<p>first</p>'.repeat(200));
				releaseStream = () => res.end('<p>last</p>');
				return;
			}
			send(404, 'text/plain');
		})
	);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	server.closeAllConnections();
	await new Promise<void>((resolve) => server.close(() => resolve()));
});

function get(path: string, acceptEncoding?: string, method = 'GET') {
	return rawRequest(`${base}${path}`, acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}, method);
}

describe('compressing responses', () => {
	it('answers each Accept-Encoding with what it allows, preferring brotli, and says it varies', async () => {
		const cases: Array<[string | undefined, string | undefined]> = [
			[undefined, undefined],
			['identity', undefined],
			['gzip', 'gzip'],
			['br', 'br'],
			['gzip, deflate, br', 'br'],
			['br;q=0.5, gzip', 'gzip'],
			['br;q=0, gzip;q=0.1', 'gzip'],
			['br;q=0, gzip;q=0', undefined]
		];
		for (const [accept, expected] of cases) {
			const res = await get('/page', accept);
			expect(res.headers['content-encoding'], accept).toBe(expected);
			expect(res.headers.vary, accept).toBe('Accept-Encoding');
			const decoded =
				expected === 'gzip' ? zlib.gunzipSync(res.body) : expected === 'br' ? zlib.brotliDecompressSync(res.body) : res.body;
			expect(decoded.toString(), accept).toBe(text);
			if (expected) expect(res.body.length, accept).toBeLessThan(text.length / 10);
		}
	});

	it('leaves tiny bodies, images, bodiless answers, HEAD and already encoded bodies as they are', async () => {
		for (const path of ['/tiny', '/image', '/not-modified', '/no-content']) {
			const res = await get(path, 'gzip, br');
			expect(res.headers['content-encoding'], path).toBeUndefined();
		}
		expect((await get('/page', 'gzip, br', 'HEAD')).headers['content-encoding']).toBeUndefined();
		const tile = await get('/gzipped', 'gzip, br');
		expect(tile.headers['content-encoding']).toBe('gzip');
		// Decoded once it is the tile: not compressed a second time.
		expect(zlib.gunzipSync(tile.body).toString()).toBe(text);
	});

	it('sends a streamed body as it is written, not when it ends', async () => {
		const firstPart = await new Promise<string>((resolve, reject) => {
			const req = http.request(`${base}/stream`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
				expect(res.headers['content-encoding']).toBe('gzip');
				const gunzip = zlib.createGunzip();
				res.pipe(gunzip);
				gunzip.once('data', (c: Buffer) => resolve(c.toString()));
			});
			req.on('error', reject);
			req.end();
		});
		expect(firstPart).toContain('<p>first</p>');
		releaseStream();
	});
});

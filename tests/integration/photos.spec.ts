import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuild, startApp, type AppProcess } from './fixtures/app-process';

/**
 * POST /api/photos and GET /media/<hash> through the app as an operator runs it (`npm start`,
 * its own process, adapter-node's body limit and every hook): JSON for every answer, a
 * 15 MB upload let through and a 20 MB one refused in the visitor's language, the stored
 * variant served with caching headers that hold for a year.
 */
const PORT = 5104;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'perkje-photos-'));
let app: AppProcess;
let cookie = '';

async function signIn(): Promise<string> {
	const response = await fetch(`${app.url}/aanmelden?/password`, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: app.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ email: 'bewoner@demo.perkje.invalid', password: 'perkje-demo-2024' })
	});
	expect(response.status).toBe(303);
	return response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}

function upload(bytes: Uint8Array, options: { name?: string; type?: string; signedIn?: boolean } = {}): Promise<Response> {
	const form = new FormData();
	form.append('photo', new Blob([bytes as Uint8Array<ArrayBuffer>], { type: options.type ?? 'image/jpeg' }), options.name ?? 'photo.jpg');
	return fetch(`${app.url}/api/photos`, {
		method: 'POST',
		headers: { origin: app.url, accept: 'application/json', ...(options.signedIn === false ? {} : { cookie }) },
		body: form
	});
}

/** A valid JPEG of about `size` bytes: a small photo followed by comment segments (COM, 0xFFFE). */
async function jpegOfSize(size: number): Promise<Buffer> {
	const photo = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#3a7d44' } }).jpeg().toBuffer();
	const chunk = Buffer.concat([Buffer.from([0xff, 0xfe, 0xff, 0xff]), Buffer.alloc(0xffff - 2, 0x20)]);
	const count = Math.floor((size - photo.length) / chunk.length);
	return Buffer.concat([photo.subarray(0, 2), ...Array(count).fill(chunk), photo.subarray(2)]);
}

beforeAll(async () => {
	requireBuild();
	app = startApp(PORT, { PERKJE_DATA_DIR: path.join(scratch, 'pglite'), PERKJE_DEMO: 'true', LOG_LEVEL: 'warn' });
	await app.ready;
	cookie = await signIn();
}, 180_000);

afterAll(async () => {
	await app?.stop();
	fs.rmSync(scratch, { recursive: true, force: true });
});

describe('POST /api/photos', () => {
	it('signed out: 401 with JSON, in Dutch', async () => {
		const response = await upload(await sharp({ create: { width: 20, height: 20, channels: 3, background: '#fff' } }).jpeg().toBuffer(), { signedIn: false });
		expect(response.status).toBe(401);
		expect(response.headers.get('content-type')).toMatch(/^application\/json/);
		expect(await response.json()).toEqual({ error: 'sign-in', message: 'Meld u aan om een foto toe te voegen.' });
	});

	it('a photo: 201 with its variants, served with an immutable strong ETag and 304 on revalidation', async () => {
		const photo = await sharp({ create: { width: 3200, height: 2400, channels: 3, background: '#3a7d44' } }).jpeg().toBuffer();
		const response = await upload(photo);
		expect(response.status).toBe(201);
		const body = (await response.json()) as { id: number; small: string; large: string; width: number; height: number };
		expect(body).toEqual({
			id: expect.any(Number),
			small: expect.stringMatching(/^\/media\/[0-9a-f]{64}$/),
			large: expect.stringMatching(/^\/media\/[0-9a-f]{64}$/),
			width: 1600,
			height: 1200
		});

		const image = await fetch(app.url + body.large);
		expect(image.status).toBe(200);
		const hash = body.large.slice('/media/'.length);
		expect(image.headers.get('etag')).toBe(`"${hash}"`);
		expect(image.headers.get('content-type')).toBe('image/webp');
		expect(image.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
		expect(image.headers.get('x-content-type-options')).toBe('nosniff');
		const bytes = Buffer.from(await image.arrayBuffer());
		expect(image.headers.get('content-length')).toBe(String(bytes.length));
		expect(await sharp(bytes).metadata()).toMatchObject({ format: 'webp', width: 1600, height: 1200 });
		// The page's policy is the app's own: images only from 'self'.
		expect(image.headers.get('content-security-policy')).toContain("img-src 'self'");

		const again = await fetch(app.url + body.large, { headers: { 'if-none-match': `"${hash}"` } });
		expect(again.status).toBe(304);
		expect(again.headers.get('etag')).toBe(`"${hash}"`);

		const small = await fetch(app.url + body.small);
		expect(await sharp(Buffer.from(await small.arrayBuffer())).metadata()).toMatchObject({ width: 400, height: 300 });
		expect((await fetch(`${app.url}/media/${'0'.repeat(64)}`)).status).toBe(404);
		expect((await fetch(`${app.url}/media/not-a-hash`)).status).toBe(404);
	});

	it('a PDF named photo.jpg, sent as image/jpeg: refused with JSON in Dutch', async () => {
		const response = await upload(Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n'));
		expect(response.status).toBe(415);
		expect(await response.json()).toEqual({
			error: 'not-an-image',
			message: 'Dit bestand is geen foto. Kies een foto in JPEG, PNG of WebP.'
		});
	});

	it('in English for an English visitor, also over the 512K of other forms', async () => {
		const form = new FormData();
		const svg = `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><!-- ${'x'.repeat(600 * 1024)} --></svg>`;
		form.append('photo', new Blob([svg], { type: 'image/jpeg' }), 'photo.jpg');
		// The language is in the URL, as on every page (localizeHref('/api/photos')).
		const response = await fetch(`${app.url}/en/api/photos`, {
			method: 'POST',
			headers: { origin: app.url, accept: 'application/json', cookie },
			body: form
		});
		expect(response.status).toBe(415);
		expect(await response.json()).toEqual({
			error: 'unsupported-format',
			message: 'We do not accept this kind of image. Choose a photo in JPEG, PNG or WebP.'
		});
	});

	it('takes a photo file of nearly 15 MB through the server, and refuses 20 MB with JSON, not the server’s page', async () => {
		const big = await jpegOfSize(15 * 1024 * 1024 - 200 * 1024);
		const accepted = await upload(big);
		expect(accepted.status).toBe(201);

		const tooBig = await upload(Buffer.concat([big, Buffer.alloc(5 * 1024 * 1024)]));
		expect(tooBig.status).toBe(413);
		expect(await tooBig.json()).toEqual({
			error: 'too-large',
			message: 'Deze foto is groter dan 15 MB. Kies een kleinere foto, of verklein hem eerst.'
		});
	});

	it('20 MB without a Content-Length (chunked): cut off at the server’s limit, still JSON', async () => {
		const boundary = '----perkje-test-boundary';
		const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="photo.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`);
		const payload = Buffer.concat([head, Buffer.alloc(20 * 1024 * 1024, 0xff), Buffer.from(`\r\n--${boundary}--\r\n`)]);
		const stream = new ReadableStream<Uint8Array>({
			start(controller) {
				for (let at = 0; at < payload.length; at += 1024 * 1024) controller.enqueue(payload.subarray(at, at + 1024 * 1024));
				controller.close();
			}
		});
		const response = await fetch(`${app.url}/api/photos`, {
			method: 'POST',
			headers: { origin: app.url, accept: 'application/json', cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
			body: stream,
			duplex: 'half'
		} as RequestInit);
		expect(response.status).toBe(413);
		expect(await response.json()).toMatchObject({ error: 'too-large' });
	});

	it('any other form keeps the small limit: a 1 MB sign-in post is refused before it is read', async () => {
		const response = await fetch(`${app.url}/aanmelden?/password`, {
			method: 'POST',
			redirect: 'manual',
			headers: { origin: app.url, 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ email: 'x@example.nl', password: 'x'.repeat(1024 * 1024) })
		});
		expect(response.status).toBe(413);
	});
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pointOnFeature } from '@turf/turf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, runMigrations } from '#server/db';
import { createOpen311Key } from '#server/reports';
import { requireBuild, startApp, type AppProcess } from './fixtures/app-process';
import { adminQuery, serverUrl, withDatabase } from './test-databases';

/**
 * Open311 GeoReport v2 as a client meets it: the built app in its own process, real HTTP, a key
 * an admin made. A report is posted and read back, in JSON and in XML, and each answer is
 * checked against the field names of the specification (http://wiki.open311.org/GeoReport_v2).
 * Runs on the embedded database, or on PostgreSQL when DATABASE_URL is set.
 */
const server = serverUrl();
const PORT = 4140;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'perkje-open311-'));
const dataDir = path.join(scratch, 'pglite');
const pgName = `perkje_open311_${process.pid}`;
const appEnv: Record<string, string> = server
	? { DATABASE_URL: withDatabase(server, pgName), PERKJE_DEMO: 'true' }
	: { PERKJE_DATA_DIR: dataDir, PERKJE_DEMO: 'true' };

/** The fields of a service request in GET requests.json, as the specification lists them. */
const REQUEST_FIELDS = [
	'service_request_id',
	'status',
	'status_notes',
	'service_name',
	'service_code',
	'description',
	'agency_responsible',
	'service_notice',
	'requested_datetime',
	'updated_datetime',
	'expected_datetime',
	'address',
	'address_id',
	'zipcode',
	'lat',
	'long',
	'media_url'
].sort();
const SERVICE_FIELDS = ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group'].sort();

let app: AppProcess | undefined;
let apiKey = '';
let base = '';
/** A point inside a demo neighbourhood, so a report there is inside the municipality. */
let point = { lat: 0, long: 0 };
const reporterEmail = 'melder-open311@voorbeeld.nl';

function post(format: 'json' | 'xml', fields: Record<string, string>, headers: Record<string, string> = {}) {
	// A server posting a form: no Origin, no cookies, as municipal systems do.
	return fetch(`${base}/requests.${format}`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
		body: new URLSearchParams(fields)
	});
}

function validPost(extra: Record<string, string> = {}) {
	return {
		api_key: apiKey,
		service_code: 'zwerfafval',
		lat: String(point.lat),
		long: String(point.long),
		description: 'Zakken afval naast de container <script>alert(1)</script>',
		email: reporterEmail,
		...extra
	};
}

beforeAll(async () => {
	requireBuild();
	if (server) await adminQuery(server, `CREATE DATABASE "${pgName}"`);
	// The key is made before the app starts (the embedded database has one holder at a time).
	const database = openDatabase({ databaseUrl: appEnv.DATABASE_URL, dataDir, holder: 'open311 test' });
	try {
		await runMigrations(database, process.cwd());
		apiKey = (await createOpen311Key(database.db, { id: 'open311-spec', role: 'admin' }, 'Meldingen-app')).key;
	} finally {
		await database.close();
	}
	app = startApp(PORT, appEnv);
	await app.ready;
	base = `${app.url}/open311/v2`;
	const hoods = (await (await fetch(`${app.url}/neighbourhoods.geojson`)).json()) as GeoJSON.FeatureCollection;
	const [long, lat] = pointOnFeature(hoods.features[0]!).geometry.coordinates;
	point = { lat: Number(lat!.toFixed(6)), long: Number(long!.toFixed(6)) };
});

afterAll(async () => {
	await app?.stop('SIGKILL');
	if (server) await adminQuery(server, `DROP DATABASE IF EXISTS "${pgName}" WITH (FORCE)`);
	fs.rmSync(scratch, { recursive: true, force: true });
});

describe('Open311 GeoReport v2', () => {
	it('describes itself: discovery, the services and one service definition', async () => {
		const discovery = await (await fetch(`${base}/discovery.json`)).json();
		expect(discovery.endpoints[0]).toMatchObject({
			specification: 'http://wiki.open311.org/GeoReport_v2',
			url: base,
			formats: ['application/json', 'text/xml']
		});

		const response = await fetch(`${base}/services.json`);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toContain('application/json');
		const services = await response.json();
		expect(services.length).toBeGreaterThan(5);
		for (const s of services) expect(Object.keys(s).sort()).toEqual(SERVICE_FIELDS);
		expect(services).toContainEqual(
			expect.objectContaining({ service_code: 'zwerfafval', service_name: 'Zwerfafval', group: 'Afval', metadata: false })
		);
		// Main categories are groups, not services: a report is always in a sub-category.
		expect(services.map((s: { service_code: string }) => s.service_code)).not.toContain('afval');

		expect(await (await fetch(`${base}/services/zwerfafval.json`)).json()).toEqual({ service_code: 'zwerfafval', attributes: [] });
		const unknown = await fetch(`${base}/services/bestaat-niet.json`);
		expect(unknown.status).toBe(404);
		expect(await unknown.json()).toEqual([{ code: 404, description: expect.stringContaining('bestaat-niet') }]);

		const xml = await fetch(`${base}/services.xml`);
		expect(xml.headers.get('content-type')).toContain('text/xml');
		const text = await xml.text();
		expect(text).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<services><service><service_code>/);
		expect(text).toContain('<service_code>zwerfafval</service_code><service_name>Zwerfafval</service_name>');
	});

	it('refuses a post without a valid key, and says what is missing in a post with one', async () => {
		const noKey = await post('json', { ...validPost(), api_key: '' });
		expect(noKey.status).toBe(403);
		expect(await noKey.json()).toEqual([{ code: 403, description: expect.stringContaining('api_key') }]);
		const wrongKey = await post('json', validPost({ api_key: 'perkje311_geraden' }));
		expect(wrongKey.status).toBe(403);
		const wrongXml = await post('xml', validPost({ api_key: 'perkje311_geraden' }));
		expect(wrongXml.status).toBe(403);
		expect(await wrongXml.text()).toMatch(/<errors><error><code>403<\/code><description>[^<]*api_key[^<]*<\/description><\/error><\/errors>$/);

		const cases: Array<[Record<string, string>, number, RegExp]> = [
			[{ lat: '', long: '', address_string: 'Stationsplein 1' }, 400, /lat en long/],
			[{ lat: '', long: '' }, 400, /lat en long ontbreken/],
			[{ lat: 'noord' }, 400, /breedtegraad/],
			[{ lat: '0', long: '0' }, 400, /buiten de gemeente/],
			[{ service_code: 'bestaat-niet' }, 404, /service_code/],
			[{ service_code: '' }, 400, /service_code ontbreekt/],
			[{ description: 'kort' }, 400, /description/],
			[{ description: '😀'.repeat(5000) }, 400, /description/],
			[{ email: 'geen adres' }, 400, /email/]
		];
		for (const [fields, status, description] of cases) {
			const response = await post('json', validPost(fields));
			expect(response.status, JSON.stringify(fields).slice(0, 80)).toBe(status);
			const [error] = await response.json();
			expect(error.code).toBe(status);
			expect(error.description).toMatch(description);
		}
		// A body that is not a form at all.
		const json = await fetch(`${base}/requests.json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"x":1}' });
		expect(json.status).toBe(400);
		expect((await json.json())[0].code).toBe(400);
	});

	it('round trip: a posted report reads back with the specification’s fields and no personal data', async () => {
		const created = await post('json', validPost(), { 'idempotency-key': 'open311-roundtrip-1' });
		expect(created.status).toBe(200);
		const [answer] = await created.json();
		expect(Object.keys(answer).sort()).toEqual(['account_id', 'service_notice', 'service_request_id']);
		const id: string = answer.service_request_id;
		expect(id).toMatch(/^\d+$/);
		// The same Idempotency-Key again (a client retrying after a timeout) makes no second report.
		const again = await post('json', validPost(), { 'idempotency-key': 'open311-roundtrip-1' });
		expect((await again.json())[0].service_request_id).toBe(id);

		const one = await fetch(`${base}/requests/${id}.json`);
		expect(one.status).toBe(200);
		const body = await one.text();
		expect(body).not.toContain(reporterEmail);
		expect(body).not.toContain('Zakken afval');
		const [request] = JSON.parse(body);
		expect(Object.keys(request).sort()).toEqual(REQUEST_FIELDS);
		expect(request).toMatchObject({
			service_request_id: id,
			status: 'open',
			service_code: 'zwerfafval',
			service_name: 'Zwerfafval',
			lat: point.lat,
			long: point.long,
			media_url: null
		});
		expect(request.agency_responsible).toEqual(expect.any(String));
		expect(request.agency_responsible.length).toBeGreaterThan(0);
		for (const field of ['requested_datetime', 'updated_datetime', 'expected_datetime']) {
			expect(new Date(request[field]).toISOString()).toBe(request[field]);
		}
		expect(new Date(request.expected_datetime).getTime()).toBeGreaterThan(new Date(request.requested_datetime).getTime());

		// In the list, by the filters the specification has.
		const listed = async (query: string) =>
			((await (await fetch(`${base}/requests.json?${query}`)).json()) as Array<{ service_request_id: string }>).map((r) => r.service_request_id);
		expect(await listed('')).toContain(id);
		expect(await listed('service_code=zwerfafval&status=open')).toContain(id);
		expect(await listed(`service_request_id=${id},999999`)).toEqual([id]);
		expect(await listed('status=closed')).not.toContain(id);
		expect(await listed('service_code=onkruid')).not.toContain(id);
		expect(await listed('start_date=2000-01-01T00:00:00Z&end_date=2000-12-31T00:00:00Z')).toEqual([]);
		expect(await listed(`start_date=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`)).toContain(id);

		const token = await (await fetch(`${base}/tokens/${id}.json`)).json();
		expect(token).toEqual([{ service_request_id: id, token: id }]);

		// The same in XML.
		const xml = await fetch(`${base}/requests/${id}.xml`);
		expect(xml.headers.get('content-type')).toContain('text/xml');
		const text = await xml.text();
		expect(text).toContain(`<service_requests><request><service_request_id>${id}</service_request_id><status>open</status>`);
		expect(text).toContain(`<lat>${point.lat}</lat><long>${point.long}</long><media_url/>`);
		const postedXml = await post('xml', validPost({ description: 'Een kapotte <bank> & meer' }));
		expect(postedXml.status).toBe(200);
		expect(await postedXml.text()).toMatch(/<service_requests><request><service_request_id>\d+<\/service_request_id><service_notice>/);
	});

	it('answers bad reads in the error format with the right status', async () => {
		const bad = async (pathAndQuery: string, status: number) => {
			const response = await fetch(`${base}/${pathAndQuery}`);
			expect(response.status, pathAndQuery).toBe(status);
			const [error] = await response.json();
			expect(error.code).toBe(status);
			expect(error.description.length).toBeGreaterThan(5);
		};
		await bad('requests.json?status=half', 400);
		await bad('requests.json?start_date=gisteren', 400);
		await bad('requests.json?service_request_id=abc', 400);
		await bad('requests.json?start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z', 400);
		await bad('requests/999999999.json', 404);
		await bad('requests/12abc.json', 404);
		await bad('tokens/onbekend.json', 404);
		// An unknown format is no Open311 route at all.
		expect((await fetch(`${base}/services.csv`)).status).toBe(404);
	});
});

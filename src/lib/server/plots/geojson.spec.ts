import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '#server/db';
import { addNeighbourhood, addPlot, square } from '#tests/integration/plots-fixtures.js';
import { neighbourhoodsGeoJsonResponse, plotsGeoJsonResponse } from './http';


const BASE = 'http://localhost';
const plots = (query = '', headers: Record<string, string> = {}) =>
	plotsGeoJsonResponse(getDb(), new Request(`${BASE}/plots.geojson${query}`, { headers }));
const neighbourhoods = (headers: Record<string, string> = {}) =>
	neighbourhoodsGeoJsonResponse(getDb(), new Request(`${BASE}/neighbourhoods.geojson`, { headers }));

interface Page {
	type: string;
	numberReturned: number;
	numberMatched: number;
	links: Array<{ href: string; rel: string; type: string }>;
	features: Array<{ id: number; geometry: { type: string }; properties: Record<string, unknown> }>;
}

describe('the GeoJSON downloads on an empty database', () => {
	it('serve an empty collection that says it is complete', async () => {
		const response = await plots();
		expect(response.status).toBe(200);
		const page = (await response.json()) as Page;
		expect(page).toMatchObject({ type: 'FeatureCollection', numberReturned: 0, numberMatched: 0, features: [] });
		expect(page.links.map((l) => l.rel)).toEqual(['self']);
		expect(response.headers.get('link')).toBeNull();
	});
});

describe('the GeoJSON downloads with plots', () => {
	let noord = 0;
	const active: number[] = [];
	beforeAll(async () => {
		noord = await addNeighbourhood(getDb(), 'BU01', 'Noord', square(4.35, 52.01, 0.01));
		await addNeighbourhood(getDb(), 'BU02', 'Zuid', square(4.35, 52.0, 0.01));
		for (let i = 0; i < 7; i++) {
			active.push(await addPlot(getDb(), `p${i}`, square(4.351 + i * 0.0003, 52.011, 0.0001), { neighbourhoodId: noord, adoptable: i !== 1 }));
		}
		await addPlot(getDb(), 'retired', square(4.353, 52.013, 0.0001), { neighbourhoodId: noord, status: 'retired' });
	});

	it('serve plots with integer ids and only public properties, and neighbourhoods with plot counts', async () => {
		const page = (await (await plots()).json()) as Page;
		expect(page.features).toHaveLength(7);
		for (const f of page.features) {
			expect(Number.isInteger(f.id)).toBe(true);
			expect(f.geometry.type).toBe('MultiPolygon');
			expect(Object.keys(f.properties).sort()).toEqual(['adoptable', 'areaM2', 'id', 'kind', 'kindDetail']);
		}
		const hoods = (await (await neighbourhoods()).json()) as Page;
		expect(hoods.features.map((f) => [f.properties.name, f.properties.plotCount])).toEqual([
			['Noord', 7],
			['Zuid', 0]
		]);
	});

	it('page a set larger than a page: following next links yields every plot exactly once', async () => {
		const seen: number[] = [];
		let url: string | undefined = `${BASE}/plots.geojson?limit=3`;
		let pages = 0;
		while (url) {
			const response = await plotsGeoJsonResponse(getDb(), new Request(url));
			expect(response.status).toBe(200);
			const page = (await response.json()) as Page;
			pages++;
			expect(page.numberMatched).toBe(7);
			expect(page.numberReturned).toBe(page.features.length);
			seen.push(...page.features.map((f) => f.id));
			const next = page.links.find((l) => l.rel === 'next')?.href;
			// The header and the body name the same next page.
			expect(response.headers.get('link')).toBe(next ? `<${next}>; rel="next"; type="application/geo+json"` : null);
			url = next;
		}
		expect(pages).toBe(3);
		expect(seen).toEqual(active);
		// Exactly the page size on the last page still ends there: no empty page after it.
		const twoPages = (await (await plots('?limit=7')).json()) as Page;
		expect(twoPages.links.map((l) => l.rel)).toEqual(['self']);
	});

	it('refuses a page it cannot read instead of starting over', async () => {
		for (const query of ['?after=abc', '?after=-1', '?limit=0', '?limit=10001', '?after=1.5']) {
			const response = await plots(query);
			expect(response.status, query).toBe(400);
			expect(await response.text(), query).not.toContain('<');
		}
	});

	it('answer 304 to the current ETag, and change the ETag with the data and with the page', async () => {
		const first = await plots();
		const etag = first.headers.get('etag')!;
		expect((await plots('', { 'if-none-match': etag })).status).toBe(304);
		expect((await plots('', { 'if-none-match': `W/${etag}` })).status).toBe(304);
		const second = (await plots('?limit=3')).headers.get('etag')!;
		expect(second).not.toBe(etag);
		expect((await plots('?limit=3', { 'if-none-match': etag })).status).toBe(200);

		const hoodsEtag = (await neighbourhoods()).headers.get('etag')!;
		expect((await neighbourhoods({ 'if-none-match': hoodsEtag })).status).toBe(304);

		await addPlot(getDb(), 'later', square(4.36, 52.0199, 0.0001));
		expect((await plots('', { 'if-none-match': etag })).status).toBe(200);
		expect((await plots()).headers.get('etag')).not.toBe(etag);
		// A neighbourhood's plot count moves with the plots.
		expect((await neighbourhoods({ 'if-none-match': hoodsEtag })).status).toBe(200);
	});

	it('answer a 304 from the data version alone, without building a feature', async () => {
		const etag = (await plots()).headers.get('etag')!;
		const statements: string[] = [];
		const db = getDb();
		// The same database, noting every statement it is asked to run.
		const watched = new Proxy(db, {
			get: (target, name, receiver) =>
				name === 'execute'
					? (query: SQL) => {
							statements.push(new PgDialect().sqlToQuery(query).sql);
							return target.execute(query);
						}
					: Reflect.get(target, name, receiver)
		});
		const started = performance.now();
		const response = await plotsGeoJsonResponse(watched, new Request(`${BASE}/plots.geojson`, { headers: { 'if-none-match': etag } }));
		const ms = performance.now() - started;
		expect(response.status).toBe(304);
		expect(statements).toHaveLength(1);
		expect(statements[0]).toContain('data_versions');
		expect(statements[0]).not.toContain('ST_AsGeoJSON');
		// One indexed row: far below the 10 ms asked of it, with room for a busy test machine.
		expect(ms).toBeLessThan(50);
	});
});

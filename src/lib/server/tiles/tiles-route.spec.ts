import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { getDatabase, queryRows } from '#server/db';
import { tileForPoint, type TileCoord } from '#lib/geo/tiles.js';
import { createTileService, getTileService, type TileService, tileResponse } from '#server/tiles';
import { DEFAULT_PLOT_FILTERS, parsePlotFilters } from '#lib/domain/plot-filters.js';
import { searchPlots } from '#server/plots';
import { GET as getPlotTile } from '../../../routes/tiles/plots/[z]/[x]/[y].mvt/+server';
import { GET as getNeighbourhoodTile } from '../../../routes/tiles/neighbourhoods/[z]/[x]/[y].mvt/+server';
import { GET as getBasemapTile } from '../../../routes/tiles/basemap/[z]/[x]/[y].mvt/+server';
import { decodeTile, seedDelft, seedDelftBasemap } from '#tests/integration/tiles-fixtures.js';

/**
 * The tile endpoints as a browser meets them: the routes' GET handlers called with real
 * Requests, on whichever database the suite runs on.
 */

type Handler = (event: never) => Response | Promise<Response>;

async function get(handler: Handler, path: string, headers: Record<string, string> = {}): Promise<Response> {
	const url = new URL(path, 'http://localhost');
	const [z, x, yMvt] = url.pathname.split('/').slice(-3);
	const params = { z, x, y: yMvt.replace(/\.mvt$/, '') };
	// The handler reads only request and params; the rest of SvelteKit's event is not needed.
	return handler({ request: new Request(url, { headers }), params } as never);
}

const path = (t: TileCoord) => `/tiles/plots/${t.z}/${t.x}/${t.y}.mvt`;

let plot: { id: number; lng: number; lat: number };

beforeAll(async () => {
	const { db } = getDatabase();
	await seedDelft(db);
	await seedDelftBasemap(db);
	[plot] = await queryRows<typeof plot>(
		db,
		sql`SELECT id, ST_X(label_point) AS lng, ST_Y(label_point) AS lat FROM plots ORDER BY area_m2 DESC LIMIT 1`
	);
});

describe('GET /tiles/plots/{z}/{x}/{y}.mvt', () => {
	it('answers a vector tile with an ETag and cache headers', async () => {
		const tile = tileForPoint(plot.lng, plot.lat, 16);
		const res = await get(getPlotTile, path(tile));
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
		expect(res.headers.get('etag')).toMatch(/^"[\w-]+"$/);
		expect(res.headers.get('cache-control')).toBe('public, max-age=5, must-revalidate');
		const body = new Uint8Array(await res.arrayBuffer());
		expect(Number(res.headers.get('content-length'))).toBe(body.length);
		const layers = decodeTile(body, tile);
		expect(layers.plots.features.map((f) => f.id)).toContain(plot.id);
	});

	it('answers gzip to a browser that accepts it, with its own ETag', async () => {
		const tile = tileForPoint(plot.lng, plot.lat, 15);
		const plain = await get(getPlotTile, path(tile));
		const zipped = await get(getPlotTile, path(tile), { 'accept-encoding': 'gzip, deflate, br' });
		expect(zipped.status).toBe(200);
		expect(zipped.headers.get('content-encoding')).toBe('gzip');
		expect(zipped.headers.get('vary')).toBe('Accept-Encoding');
		expect(zipped.headers.get('etag')).not.toBe(plain.headers.get('etag'));
		const body = new Uint8Array(gunzipSync(new Uint8Array(await zipped.arrayBuffer())));
		expect(body).toEqual(new Uint8Array(await plain.arrayBuffer()));
		expect(Number(zipped.headers.get('content-length'))).toBeLessThan(body.length);
		const refused = await get(getPlotTile, path(tile), { 'accept-encoding': 'gzip;q=0' });
		expect(refused.headers.get('content-encoding')).toBeNull();
		const again = await get(getPlotTile, path(tile), {
			'accept-encoding': 'gzip',
			'if-none-match': zipped.headers.get('etag')!
		});
		expect(again.status).toBe(304);
	});

	it('answers 304 when the browser already has this version', async () => {
		const tile = path(tileForPoint(plot.lng, plot.lat, 15));
		const first = await get(getPlotTile, tile);
		const etag = first.headers.get('etag')!;
		const again = await get(getPlotTile, tile, { 'if-none-match': etag });
		expect(again.status).toBe(304);
		expect(again.headers.get('etag')).toBe(etag);
		expect(await again.text()).toBe('');
		const weak = await get(getPlotTile, tile, { 'if-none-match': `"other", W/${etag}` });
		expect(weak.status).toBe(304);
		const other = await get(getPlotTile, tile, { 'if-none-match': '"something-else"' });
		expect(other.status).toBe(200);
	});

	it('answers 304 from the data version alone: a fresh process renders nothing for it', async () => {
		const tile = tileForPoint(plot.lng, plot.lat, 15);
		const params = { z: String(tile.z), x: String(tile.x), y: String(tile.y) };
		const browser = { 'accept-encoding': 'gzip, deflate, br' };
		const urls = [path(tile), `${path(tile)}?kind=grasland&min_m2=10`];
		const held = await Promise.all(urls.map(async (url) => (await get(getPlotTile, url, browser)).headers.get('etag')!));
		expect(held[0]).toMatch(/-gz"$/);
		// A service with an empty cache stands for the app right after a restart.
		const cold = createTileService();
		const ask = (url: string, headers: Record<string, string>) =>
			tileResponse(new Request(`http://localhost${url}`, { headers }), 'plots', params, cold);
		for (const [i, url] of urls.entries()) {
			for (const etag of [held[i], held[i].replace(/-gz"$/, '"')]) {
				const res = await ask(url, { ...browser, 'if-none-match': etag });
				expect(res.status, `${url} ${etag}`).toBe(304);
				expect(res.headers.get('etag')).toBe(etag);
			}
		}
		// Nothing was rendered: a rendered tile would be in the cache now.
		expect(cold.cacheStats().entries).toBe(0);
		expect((await ask(urls[0], { ...browser, 'if-none-match': '"an-older-version"' })).status).toBe(200);
		expect(cold.cacheStats().entries).toBe(1);
	});

	it('answers 204 for a tile without plots', async () => {
		const res = await get(getPlotTile, path(tileForPoint(-150, -40, 16)));
		expect(res.status).toBe(204);
		expect(res.headers.get('etag')).toBeTruthy();
		expect(await res.text()).toBe('');
	});

	it.each([
		'/tiles/plots/23/0/0.mvt',
		'/tiles/plots/2/4/0.mvt',
		'/tiles/plots/2/0/4.mvt',
		'/tiles/plots/-1/0/0.mvt',
		'/tiles/plots/abc/0/0.mvt',
		'/tiles/plots/14/1.5/0.mvt',
		'/tiles/plots/14/8401/1e3.mvt'
	])('answers 400 for %s', async (url) => {
		const res = await get(getPlotTile, url);
		expect(res.status).toBe(400);
		expect(await res.text()).toMatch(/^Not a tile: /);
	});

	it('shows a change within seconds: new ETag, new state', async () => {
		const { db } = getDatabase();
		const tile = tileForPoint(plot.lng, plot.lat, 17);
		const before = await get(getPlotTile, path(tile));
		const etag = before.headers.get('etag')!;
		const state = (res: Uint8Array) =>
			decodeTile(res, tile).plots.features.find((f) => f.id === plot.id)!.properties.state;
		expect(state(new Uint8Array(await before.arrayBuffer()))).toBe('available');

		await db.execute(sql`UPDATE plots SET adoptable = false WHERE id = ${plot.id}`);

		const started = Date.now();
		let after: Response;
		do {
			await new Promise((r) => setTimeout(r, 100));
			after = await get(getPlotTile, path(tile), { 'if-none-match': etag });
		} while (after.status === 304 && Date.now() - started < 5000);
		expect(after.status).toBe(200);
		expect(Date.now() - started).toBeLessThan(3000);
		expect(after.headers.get('etag')).not.toBe(etag);
		expect(state(new Uint8Array(await after.arrayBuffer()))).toBe('not_adoptable');
	});

	it('stays fresh across app processes that share only the database', async () => {
		// Two services stand for two processes: each has its own cache, neither tells the other.
		const { db } = getDatabase();
		const one = createTileService({ versionTtlMs: 200 });
		const two = createTileService({ versionTtlMs: 200 });
		const tile = tileForPoint(plot.lng, plot.lat, 16);
		const url = path(tile);
		const params = { z: String(tile.z), x: String(tile.x), y: String(tile.y) };
		const ask = (service: TileService) =>
			tileResponse(new Request(`http://localhost${url}`), 'plots', params, service);
		const a1 = await ask(one);
		const b1 = await ask(two);
		expect(b1.headers.get('etag')).toBe(a1.headers.get('etag'));

		await db.execute(sql`UPDATE plots SET adoptable = NOT adoptable WHERE id = ${plot.id}`);
		await new Promise((r) => setTimeout(r, 250));

		const a2 = await ask(one);
		const b2 = await ask(two);
		expect(a2.headers.get('etag')).not.toBe(a1.headers.get('etag'));
		expect(b2.headers.get('etag')).toBe(a2.headers.get('etag'));
		const body = new Uint8Array(await b2.arrayBuffer());
		expect(await a2.arrayBuffer()).toEqual(body.buffer);
	});
});

describe('GET /tiles/plots/{z}/{x}/{y}.mvt?… with the list\'s filters', () => {
	let hood: number;
	const body = async (res: Response) => new Uint8Array(await res.arrayBuffer());

	beforeAll(async () => {
		const { db } = getDatabase();
		await db.execute(sql`UPDATE plots SET kind = 'grasland' WHERE id % 3 = 0`);
		[{ hood }] = await queryRows<{ hood: number }>(db, sql`SELECT neighbourhood_id AS hood FROM plots WHERE id = ${plot.id}`);
	});

	/** What the list (/plots) finds for the same query. */
	async function listed(query: string) {
		const filters = parsePlotFilters(new URLSearchParams(query));
		return searchPlots(getDatabase().db, { ...filters, page: 1 }, { pageSize: 200 });
	}

	it('at zoom 14 hold only the plots the list shows, and at zoom 12 count just those', async () => {
		const query = `neighbourhood=${hood}&kind=grasland&min_m2=1`;
		const list = await listed(query);
		expect(list.total).toBeGreaterThan(0);
		const ids = new Set(list.items.map((i) => i.id));

		const z14 = tileForPoint(plot.lng, plot.lat, 14);
		const points = await get(getPlotTile, `${path(z14)}?${query}`);
		expect(points.status).toBe(200);
		const drawn = decodeTile(await body(points), z14).plot_points.features.map((f) => f.id!);
		expect(drawn.length).toBeGreaterThan(0);
		expect(drawn.filter((id) => !ids.has(id))).toEqual([]);
		const plain = decodeTile(await body(await get(getPlotTile, path(z14))), z14).plot_points.features;
		expect(plain.length).toBeGreaterThan(drawn.length);

		const z12 = tileForPoint(plot.lng, plot.lat, 12);
		const counts = await get(getPlotTile, `${path(z12)}?${query}`);
		const features = decodeTile(await body(counts), z12).plot_counts.features;
		expect(features.map((f) => f.id)).toEqual([hood]);
		expect(features[0].properties.plots).toBe(list.total);

		// A kind no plot has: nothing to draw, which is not an error.
		const none = await get(getPlotTile, `${path(z12)}?kind=cactus`);
		expect(none.status).toBe(204);
	});

	it('drop values that make no sense, as the list does: the unfiltered tile, with its ETag', async () => {
		const tile = path(tileForPoint(plot.lng, plot.lat, 14));
		const plain = await get(getPlotTile, tile);
		// Unfiltered tiles keep the ETag they always had: the data version alone.
		expect(plain.headers.get('etag')).toBe(`"${await getTileService().tilesetVersion('plots')}"`);
		for (const junk of ['neighbourhood=abc', 'min_m2=-5&max_m2=lots', 'state=eaten&kind=', 'q=Hof&sort=area_desc&page=3', 'zoom=3']) {
			const res = await get(getPlotTile, `${tile}?${junk}`);
			expect(res.status, junk).toBe(200);
			expect(res.headers.get('etag'), junk).toBe(plain.headers.get('etag'));
			expect(await body(res), junk).toEqual(await body(await get(getPlotTile, tile)));
		}
		expect((await listed('neighbourhood=abc&min_m2=-5')).total).toBe((await listed('')).total);
	});

	it('have their own ETag, shared by equal filters however spelled, and answer 304', async () => {
		const tile = path(tileForPoint(plot.lng, plot.lat, 12));
		const plain = (await get(getPlotTile, tile)).headers.get('etag');
		const filtered = await get(getPlotTile, `${tile}?kind=grasland&min_m2=10&max_m2=500`);
		const etag = filtered.headers.get('etag')!;
		expect(etag).toMatch(/^"[\w-]+"$/);
		expect(etag).not.toBe(plain);
		const respelled = await get(getPlotTile, `${tile}?max_m2=10.0&min_m2=500&kind=+grasland+&sort=number`);
		expect(respelled.headers.get('etag')).toBe(etag);
		expect(await body(respelled)).toEqual(await body(filtered));
		const other = await get(getPlotTile, `${tile}?kind=grasland&min_m2=11&max_m2=500`);
		expect(other.headers.get('etag')).not.toBe(etag);

		const again = await get(getPlotTile, `${tile}?kind=grasland&min_m2=10&max_m2=500`, { 'if-none-match': etag });
		expect(again.status).toBe(304);
		// The unfiltered tile's ETag does not stand for a filtered one, nor the other way round.
		expect((await get(getPlotTile, `${tile}?kind=grasland&min_m2=10&max_m2=500`, { 'if-none-match': plain! })).status).toBe(200);
		expect((await get(getPlotTile, tile, { 'if-none-match': etag })).status).toBe(200);
	});

	it('change their ETag when a plot changes, like unfiltered tiles', async () => {
		const { db } = getDatabase();
		const tile = path(tileForPoint(plot.lng, plot.lat, 14));
		const url = `${tile}?neighbourhood=${hood}`;
		const before = (await get(getPlotTile, url)).headers.get('etag')!;
		await db.execute(sql`UPDATE plots SET kind = kind WHERE id = ${plot.id}`);
		const started = Date.now();
		let after: Response;
		do {
			await new Promise((r) => setTimeout(r, 100));
			after = await get(getPlotTile, url, { 'if-none-match': before });
		} while (after.status === 304 && Date.now() - started < 5000);
		expect(after.status).toBe(200);
		expect(after.headers.get('etag')).not.toBe(before);
	});
});

describe('GET /tiles/neighbourhoods/{z}/{x}/{y}.mvt', () => {
	it('answers outlines and labels, and 400 for junk', async () => {
		const tile = tileForPoint(plot.lng, plot.lat, 14);
		const res = await get(getNeighbourhoodTile, `/tiles/neighbourhoods/${tile.z}/${tile.x}/${tile.y}.mvt`);
		expect(res.status).toBe(200);
		const layers = decodeTile(new Uint8Array(await res.arrayBuffer()), tile);
		expect(layers.neighbourhoods.features.length).toBeGreaterThan(0);
		expect((await get(getNeighbourhoodTile, '/tiles/neighbourhoods/1/2/0.mvt')).status).toBe(400);
	});
});

describe('GET /tiles/basemap/{z}/{x}/{y}.mvt', () => {
	const basemapPath = (t: TileCoord) => `/tiles/basemap/${t.z}/${t.x}/${t.y}.mvt`;

	it('answers the BGT under the plots, cacheable like the other tiles, and 304 on a repeat', async () => {
		const tile = tileForPoint(plot.lng, plot.lat, 16);
		const res = await get(getBasemapTile, basemapPath(tile), { 'accept-encoding': 'gzip' });
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
		expect(res.headers.get('cache-control')).toBe('public, max-age=5, must-revalidate');
		expect(res.headers.get('content-encoding')).toBe('gzip');
		const layers = decodeTile(gunzipSync(new Uint8Array(await res.arrayBuffer())), tile);
		expect(Object.keys(layers)).toEqual(expect.arrayContaining(['building', 'road']));
		const again = await get(getBasemapTile, basemapPath(tile), { 'if-none-match': res.headers.get('etag')! });
		expect(again.status).toBe(304);
		// The plot tile's filters mean nothing here: same tile, same ETag.
		const filtered = await get(getBasemapTile, `${basemapPath(tile)}?kind=gras`);
		expect(filtered.headers.get('etag')).toBe((await get(getBasemapTile, basemapPath(tile))).headers.get('etag'));
	});

	it('is empty (204) below zoom 14, and refuses what is not a tile (400)', async () => {
		expect((await get(getBasemapTile, basemapPath(tileForPoint(plot.lng, plot.lat, 12)))).status).toBe(204);
		expect((await get(getBasemapTile, '/tiles/basemap/16/99999999/1.mvt')).status).toBe(400);
	});

	it('a basemap import gives its tiles a new ETag; the plot tiles keep theirs', async () => {
		const tile = tileForPoint(plot.lng, plot.lat, 16);
		const service = createTileService({ versionTtlMs: 0 });
		const handler = (name: 'basemap' | 'plots') => (event: never) =>
			tileResponse((event as { request: Request }).request, name, (event as { params: Record<string, string> }).params, service);
		const before = (await get(handler('basemap'), basemapPath(tile))).headers.get('etag');
		const plotsBefore = (await get(handler('plots'), path(tile))).headers.get('etag');
		await getDatabase().db.execute(sql`UPDATE basemap_features SET kind = 'fietspad' WHERE id = (SELECT min(id) FROM basemap_features WHERE layer = 'road')`);
		expect((await get(handler('basemap'), basemapPath(tile))).headers.get('etag')).not.toBe(before);
		expect((await get(handler('plots'), path(tile))).headers.get('etag')).toBe(plotsBefore);
	});
});

describe('a plot tile with one implausible row in it', () => {
	it('still answers 200, with that row\'s area clamped instead of failing the whole tile', async () => {
		const { db } = getDatabase();
		// What an importer without limits once stored: a box round the world, 2.8 × 10¹² m².
		const [world] = await queryRows<{ id: number }>(
			db,
			sql`INSERT INTO plots (source_id, dataset, kind, area_m2, geom, label_point)
				SELECT 'world', 'implausible', 'groenvoorziening', ST_Area(g::geography), ST_Multi(g), ST_PointOnSurface(g)
				FROM (SELECT ST_MakeEnvelope(-179, -89, 179, 89, 4326) AS g) w
				RETURNING id`
		);
		const service = createTileService({ versionTtlMs: 0 });
		const handler = (event: never) =>
			tileResponse((event as { request: Request }).request, 'plots', (event as { params: Record<string, string> }).params, service);
		try {
			for (const z of [15, 16, 17]) {
				const tile = tileForPoint(plot.lng, plot.lat, z);
				const res = await get(handler, path(tile));
				expect(res.status, `z${z}`).toBe(200);
				const features = decodeTile(new Uint8Array(await res.arrayBuffer()), tile).plots.features;
				expect(features.map((f) => f.id)).toContain(plot.id);
				expect(features.find((f) => f.id === world.id)?.properties.area_m2).toBe(2147483647);
			}
		} finally {
			await db.execute(sql`DELETE FROM plots WHERE id = ${world.id}`);
		}
	});
});

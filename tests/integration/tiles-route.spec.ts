import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { getDatabase, queryRows } from '../../src/lib/server/db';
import { tileForPoint, type TileCoord } from '../../src/lib/geo/tiles';
import { createTileService, type TileService } from '../../src/lib/server/tiles/service';
import { tileResponse } from '../../src/lib/server/tiles/http';
import { GET as getPlotTile } from '../../src/routes/tiles/plots/[z]/[x]/[y].mvt/+server';
import { GET as getNeighbourhoodTile } from '../../src/routes/tiles/neighbourhoods/[z]/[x]/[y].mvt/+server';
import { decodeTile, seedDelft } from './tiles-fixtures';

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

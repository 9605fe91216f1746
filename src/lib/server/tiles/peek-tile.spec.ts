import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { getDatabase, queryRows } from '#server/db';
import { tileForPoint, type TileCoord } from '#lib/geo/tiles.js';
import { NO_MAP_FILTERS } from '#lib/domain/plot-filters.js';
import { seedDelft } from '#tests/integration/tiles-fixtures.js';
import { cachedTileAnswer, createTileService, tileResponse } from '#server/tiles';

/**
 * The synchronous peek the server's fast path answers cached tiles with: never a tile the
 * service itself would no longer serve, and the same answer tileResponse() gives.
 */
const TTL_MS = 1500;
let tile: TileCoord;

beforeAll(async () => {
	const { db } = getDatabase();
	await seedDelft(db);
	const [plot] = await queryRows<{ lng: number; lat: number }>(
		db,
		sql`SELECT ST_X(label_point) AS lng, ST_Y(label_point) AS lat FROM plots ORDER BY area_m2 DESC LIMIT 1`
	);
	tile = tileForPoint(plot.lng, plot.lat, 15);
});

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('peeking at a cached tile', () => {
	it('finds it only while the last data version read is fresh', async () => {
		const service = createTileService({ versionTtlMs: TTL_MS });
		expect(service.peekTile('plots', tile)).toBeUndefined();
		// Rendering the first time may take longer than the version is trusted: wait that out.
		const rendered = await service.getTile('plots', tile);
		await wait(TTL_MS + 20);
		// Older than the service trusts a version: the caller must go through getTile().
		expect(service.peekTile('plots', tile)).toBeUndefined();
		// That reads the version again, and the cached tile is there while the read is fresh.
		expect(await service.getTile('plots', tile)).toBe(rendered);
		expect(service.peekTile('plots', tile)).toBe(rendered);
		// Another tile set, other filters: not in the cache.
		expect(service.peekTile('neighbourhoods', tile)).toBeUndefined();
		expect(service.peekTile('plots', tile, { ...NO_MAP_FILTERS, min_m2: 5 })).toBeUndefined();
	});

	it('never finds a tile from before a change, once the change has been read', async () => {
		const service = createTileService({ versionTtlMs: TTL_MS });
		const before = await service.getTile('plots', tile);
		await getDatabase().db.execute(sql`UPDATE plots SET adoptable = NOT adoptable WHERE id = (SELECT min(id) FROM plots)`);
		await wait(TTL_MS + 20);
		expect(service.peekTile('plots', tile)).toBeUndefined();
		const after = await service.getTile('plots', tile);
		expect(after.etag).not.toBe(before.etag);
		// The new one, or nothing if rendering outlasted the read's trust: never the old one.
		expect([after, undefined]).toContain(service.peekTile('plots', tile));
	});

	it('answers as tileResponse() does', async () => {
		const service = createTileService();
		const params = { z: String(tile.z), x: String(tile.x), y: String(tile.y) };
		const url = `http://localhost/tiles/plots/${tile.z}/${tile.x}/${tile.y}.mvt`;
		for (const headers of [{ 'accept-encoding': 'gzip' }, {}] as Array<Record<string, string>>) {
			const response = await tileResponse(new Request(url, { headers }), 'plots', params, service);
			const etag = response.headers.get('etag')!;
			for (const ifNoneMatch of [null, etag]) {
				const framework = await tileResponse(
					new Request(url, { headers: ifNoneMatch ? { ...headers, 'if-none-match': ifNoneMatch } : headers }),
					'plots',
					params,
					service
				);
				const acceptEncoding = headers['accept-encoding'] ?? null;
				const answer = cachedTileAnswer('plots', params, new URLSearchParams(), { acceptEncoding, ifNoneMatch }, service)!;
				expect(answer.status).toBe(framework.status);
				expect(answer.headers).toEqual(Object.fromEntries(framework.headers));
				expect(Buffer.from(answer.body ?? [])).toEqual(Buffer.from(await framework.arrayBuffer()));
			}
		}
		expect(cachedTileAnswer('plots', { z: '15', x: 'a', y: '1' }, new URLSearchParams(), { acceptEncoding: null, ifNoneMatch: null }, service)).toBeUndefined();
	});
});

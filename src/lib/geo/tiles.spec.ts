import { describe, expect, it } from 'vitest';
import { MAX_TILE_ZOOM, MERCATOR_HALF_WORLD, parseTileCoord, tileBounds3857, tileBounds4326, tileForPoint } from './tiles';

describe('parseTileCoord', () => {
	it('accepts tiles inside their zoom level', () => {
		expect(parseTileCoord({ z: '0', x: '0', y: '0' })).toEqual({ ok: true, tile: { z: 0, x: 0, y: 0 } });
		expect(parseTileCoord({ z: '16', x: '33628', y: '21627' })).toEqual({
			ok: true,
			tile: { z: 16, x: 33628, y: 21627 }
		});
	});

	it.each([
		[{ z: '1', x: '2', y: '0' }, 'x'],
		[{ z: '1', x: '0', y: '2' }, 'y'],
		[{ z: String(MAX_TILE_ZOOM + 1), x: '0', y: '0' }, 'z'],
		[{ z: '-1', x: '0', y: '0' }, 'z'],
		[{ z: '1e1', x: '0', y: '0' }, 'z'],
		[{ z: '14', x: '0x1', y: '0' }, 'x'],
		[{ z: '14', x: '1.5', y: '0' }, 'x'],
		[{ z: '14', x: '', y: '0' }, 'x'],
		[{ z: '14', x: '1', y: undefined }, 'y'],
		[{ z: '14', x: '1', y: 'abc' }, 'y']
	])('rejects %o, naming %s', (params, field) => {
		const result = parseTileCoord(params);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.error).toContain(field);
	});
});

describe('tile bounds', () => {
	it('cover the whole mercator world at zoom 0', () => {
		expect(tileBounds3857({ z: 0, x: 0, y: 0 })).toEqual([
			-MERCATOR_HALF_WORLD,
			-MERCATOR_HALF_WORLD,
			MERCATOR_HALF_WORLD,
			MERCATOR_HALF_WORLD
		]);
		const [w, s, e, n] = tileBounds4326({ z: 0, x: 0, y: 0 });
		expect([w, e]).toEqual([-180, 180]);
		expect(n).toBeCloseTo(85.0511287798, 8);
		expect(s).toBeCloseTo(-85.0511287798, 8);
	});

	it('agree with PostGIS ST_TileEnvelope for a tile in Delft', () => {
		// select ST_AsText(ST_Transform(ST_TileEnvelope(14, 8401, 5405), 4326))
		const [w, s, e, n] = tileBounds4326({ z: 14, x: 8401, y: 5405 });
		expect(w).toBeCloseTo(4.592285156249991, 9);
		expect(s).toBeCloseTo(52.079506003796965, 9);
		expect(e).toBeCloseTo(4.614257812500007, 9);
		expect(n).toBeCloseTo(52.09300763963823, 9);
	});

	it('widen by a buffer but never past the edge of the world', () => {
		const plain = tileBounds4326({ z: 2, x: 0, y: 0 });
		const wide = tileBounds4326({ z: 2, x: 0, y: 0 }, 0.25);
		expect(wide[0]).toBe(-180);
		expect(wide[3]).toBeCloseTo(85.0511287798, 8);
		expect(wide[2]).toBeGreaterThan(plain[2]);
		expect(wide[1]).toBeLessThan(plain[1]);
	});

	it('find the tile a point lies in, inside that tile', () => {
		const delft = tileForPoint(4.3585, 52.0116, 16);
		const [w, s, e, n] = tileBounds4326(delft);
		expect(4.3585).toBeGreaterThanOrEqual(w);
		expect(4.3585).toBeLessThan(e);
		expect(52.0116).toBeGreaterThanOrEqual(s);
		expect(52.0116).toBeLessThan(n);
	});
});

import { describe, expect, it } from 'vitest';
import { normalizePolygonal, REPAIR, ringSignedArea2 } from './polygons';

const square: [number, number][] = [
	[0, 0],
	[10, 0],
	[10, 10],
	[0, 10],
	[0, 0]
];

describe('normalizePolygonal', () => {
	it('accepts a counter-clockwise polygon as it is, as MultiPolygon coordinates', () => {
		const r = normalizePolygonal({ type: 'Polygon', coordinates: [square] });
		expect(r).toEqual({ ok: true, polygons: [[square]], repairs: [], bbox: [0, 0, 10, 10] });
	});

	it('closes an open ring and says so', () => {
		const r = normalizePolygonal({ type: 'Polygon', coordinates: [square.slice(0, 4)] });
		expect(r.ok && r.polygons[0][0]).toEqual(square);
		expect(r.ok && r.repairs).toEqual([REPAIR.ringClosed]);
	});

	it('notices clockwise exterior rings and counter-clockwise holes (RFC 7946)', () => {
		const clockwise = [...square].reverse();
		expect(ringSignedArea2(clockwise)).toBeLessThan(0);
		const r = normalizePolygonal({ type: 'Polygon', coordinates: [clockwise] });
		expect(r.ok && r.repairs).toEqual([REPAIR.ringOrientation]);
		const hole = [
			[2, 2],
			[4, 2],
			[4, 4],
			[2, 2]
		];
		const withHole = normalizePolygonal({ type: 'Polygon', coordinates: [square, hole] });
		expect(withHole.ok && withHole.repairs).toEqual([REPAIR.ringOrientation]);
	});

	it('drops heights and degenerate holes, keeps real holes', () => {
		const hole = [
			[2, 2, 5],
			[2, 4, 5],
			[4, 4, 5],
			[2, 2, 5]
		];
		const flat = [
			[5, 5],
			[6, 6],
			[5, 5]
		];
		const r = normalizePolygonal({ type: 'MultiPolygon', coordinates: [[square, hole, flat]] });
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.polygons[0]).toHaveLength(2);
		expect(r.polygons[0][1][0]).toEqual([2, 2]);
		expect(r.repairs).toEqual([REPAIR.degenerateHoleDropped]);
	});

	it('rejects what cannot be a polygon, with a reason', () => {
		expect(normalizePolygonal(null)).toEqual({ ok: false, reason: 'the feature has no geometry' });
		expect(normalizePolygonal({ type: 'Point', coordinates: [1, 2] })).toMatchObject({
			ok: false,
			reason: expect.stringContaining('Point')
		});
		expect(normalizePolygonal({ type: 'Polygon', coordinates: [[[0, 0], [1, 1], [0, 0]]] })).toMatchObject({
			ok: false,
			reason: expect.stringContaining('degenerate')
		});
		expect(normalizePolygonal({ type: 'Polygon', coordinates: [[[0, 'a'], [1, 1], [1, 0], [0, 0]]] })).toMatchObject({
			ok: false,
			reason: expect.stringContaining('malformed')
		});
		expect(normalizePolygonal({ type: 'MultiPolygon', coordinates: 'x' })).toMatchObject({ ok: false });
	});
});

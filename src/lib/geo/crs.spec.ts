import { describe, expect, it } from 'vitest';
import { parseCrs, plausibility, RD_NEW, WGS84, type Bbox } from './crs';

describe('parseCrs', () => {
	it('reads the names found in GeoJSON files and typed by operators', () => {
		for (const name of ['urn:ogc:def:crs:EPSG::28992', 'EPSG:28992', '28992', 'epsg::28992', 'RD New']) {
			expect(parseCrs(name), name).toBe(RD_NEW);
		}
		for (const name of ['urn:ogc:def:crs:OGC:1.3:CRS84', 'CRS84', 'EPSG:4326', 'urn:ogc:def:crs:EPSG::4326']) {
			expect(parseCrs(name), name).toBe(WGS84);
		}
		expect(parseCrs('EPSG:3857')).toEqual({ srid: 3857, label: 'EPSG:3857', kind: 'other' });
		expect(parseCrs('my own crs')).toBeNull();
	});
});

describe('plausibility', () => {
	const delftRd: Bbox = [84700, 447300, 85000, 447600];
	const delftDegrees: Bbox = [4.35, 52.0, 4.37, 52.02];

	it('accepts coordinates that fit the CRS', () => {
		expect(plausibility(delftRd, RD_NEW)).toBe('ok');
		expect(plausibility(delftDegrees, WGS84)).toBe('ok');
	});

	it('recognises RD New metres read as degrees, and degrees read as RD New', () => {
		expect(plausibility(delftRd, WGS84)).toBe('looks-like-rd-new');
		expect(plausibility(delftDegrees, RD_NEW)).toBe('looks-like-degrees');
	});

	it('says out of range for numbers that fit neither', () => {
		expect(plausibility([0, 0, 1e7, 1e7], RD_NEW)).toBe('out-of-range');
		expect(plausibility([500, 700000, 600, 700100], WGS84)).toBe('out-of-range');
	});
});

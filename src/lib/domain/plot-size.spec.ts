import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { plotSize } from './plot-size';

type Ring = [number, number][];

/** A real Delft plot from the demo data (BGT, RD New metres): 868 m² of verge along a road. */
function seedPlot(lokaalId: string): { area: number; perimeter: number; boxWidth: number; boxHeight: number } {
	const file = path.resolve('db/seed/bgt_begroeidterreindeel_delft_3dfier.geojson');
	const fc = JSON.parse(fs.readFileSync(file, 'utf8')) as {
		features: Array<{ properties: { lokaalid: string }; geometry: { type: 'Polygon'; coordinates: Ring[] } }>;
	};
	const feature = fc.features.find((f) => f.properties.lokaalid === lokaalId)!;
	const [outer, ...holes] = feature.geometry.coordinates;
	const ringArea = (r: Ring) => Math.abs(r.slice(1).reduce((s, c, i) => s + r[i][0] * c[1] - c[0] * r[i][1], 0) / 2);
	const ringLength = (r: Ring) => r.slice(1).reduce((s, c, i) => s + Math.hypot(c[0] - r[i][0], c[1] - r[i][1]), 0);
	const xs = outer.map((c) => c[0]);
	const ys = outer.map((c) => c[1]);
	return {
		area: ringArea(outer) - holes.reduce((s, h) => s + ringArea(h), 0),
		perimeter: [outer, ...holes].reduce((s, r) => s + ringLength(r), 0),
		boxWidth: Math.max(...xs) - Math.min(...xs),
		boxHeight: Math.max(...ys) - Math.min(...ys)
	};
}

describe('plotSize', () => {
	it('describes the 868 m² Delft verge as a long narrow strip, not as a 242 × 246 m box', () => {
		const plot = seedPlot('G0503.032e68efc5ef49cce0532ee22091b28c');
		expect(Math.round(plot.area)).toBe(868);
		// What the page used to say: the bounding box.
		expect([Math.round(plot.boxWidth), Math.round(plot.boxHeight)]).toEqual([242, 246]);
		const size = plotSize(plot.area, plot.perimeter);
		expect(size.strip).toBe(true);
		expect(size.lengthM).toBeGreaterThan(300);
		expect(size.lengthM).toBeLessThan(360);
		expect(size.widthM).toBeGreaterThan(2);
		expect(size.widthM).toBeLessThan(3);
		expect(size.lengthM * size.widthM).toBeCloseTo(plot.area, 0);
	});

	it('gives a rectangle back its own sides, and a round plot a square', () => {
		expect(plotSize(200, 60)).toEqual({ lengthM: 20, widthM: 10, strip: false });
		const round = plotSize(Math.PI * 25, 2 * Math.PI * 5);
		expect(round.lengthM).toBeCloseTo(Math.sqrt(Math.PI * 25), 6);
		expect(round.strip).toBe(false);
		expect(plotSize(0, 0)).toEqual({ lengthM: 0, widthM: 0, strip: false });
	});
});

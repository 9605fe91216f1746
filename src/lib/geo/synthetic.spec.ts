import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as turf from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import proj4 from 'proj4';
import { describe, expect, it } from 'vitest';
import { RD_NEW_PROJ4 } from './crs';
import {
	generateSyntheticPlots,
	neighbourhoodsFromGeoJson,
	type NeighbourhoodInput,
	type SyntheticOptions,
	type SyntheticPlot,
	type SyntheticSummary
} from './synthetic';
import { isUpToDate, readGeneratorStamp, writeSyntheticFile } from './synthetic-file';

const BUURTEN_FILE = 'db/seed/buurten_delft_cbs2023.geojson';
const buurtenJson = JSON.parse(fs.readFileSync(BUURTEN_FILE, 'utf8'));
const buurten = neighbourhoodsFromGeoJson(buurtenJson);

function generate(
	neighbourhoods: NeighbourhoodInput[],
	options: Partial<SyntheticOptions> = {}
): { plots: SyntheticPlot[]; summary: SyntheticSummary } {
	const gen = generateSyntheticPlots(neighbourhoods, { plots: 3000, seed: 1, owner: 'G0503', ...options });
	const plots: SyntheticPlot[] = [];
	for (;;) {
		const step = gen.next();
		if (step.done) return { plots, summary: step.value };
		plots.push(step.value);
	}
}

function quantile(sorted: number[], p: number): number {
	return sorted[Math.floor(p * (sorted.length - 1))];
}

function asFeature(n: NeighbourhoodInput): Feature<MultiPolygon> {
	return turf.multiPolygon(n.polygons);
}

const sample = generate(buurten);

describe('synthetic plots', () => {
	it('are the same for the same seed and differ for another seed', () => {
		const again = generate(buurten);
		expect(JSON.stringify(again.plots.map((p) => p.feature))).toBe(
			JSON.stringify(sample.plots.map((p) => p.feature))
		);
		const other = generate(buurten, { seed: 2 });
		expect(other.plots).toHaveLength(3000);
		expect(other.plots[0].feature.geometry).not.toEqual(sample.plots[0].feature.geometry);
	});

	it('are valid polygons, counter-clockwise outside and clockwise holes (RFC 7946)', () => {
		expect(sample.plots).toHaveLength(3000);
		for (const { feature } of sample.plots) {
			expect(turf.booleanValid(feature), feature.properties.lokaalID).toBe(true);
			const [outer, ...holes] = feature.geometry.coordinates;
			expect(turf.booleanClockwise(outer), feature.properties.lokaalID).toBe(false);
			for (const hole of holes) expect(turf.booleanClockwise(hole)).toBe(true);
		}
	});

	it('lie inside the neighbourhood they were placed in', () => {
		const shapes = buurten.map(asFeature);
		const outside = sample.plots.filter(
			(p) => !turf.booleanWithin(p.feature, shapes[p.neighbourhood])
		);
		expect(outside.map((p) => p.feature.properties.lokaalID)).toEqual([]);
		// Spread over the town by area: most neighbourhoods get some.
		expect(new Set(sample.plots.map((p) => p.neighbourhood)).size).toBeGreaterThan(80);
	});

	it('do not overlap each other', () => {
		const boxed = sample.plots
			.map((p) => ({ p: p.feature, box: turf.bbox(p.feature) }))
			.sort((a, b) => a.box[0] - b.box[0]);
		const overlaps: string[] = [];
		for (let i = 0; i < boxed.length; i++) {
			for (let j = i + 1; j < boxed.length && boxed[j].box[0] <= boxed[i].box[2]; j++) {
				const [a, b] = [boxed[i], boxed[j]];
				if (b.box[1] > a.box[3] || b.box[3] < a.box[1]) continue;
				const common = turf.intersect(turf.featureCollection<Polygon>([a.p, b.p]));
				if (common && turf.area(common) > 0.01) {
					overlaps.push(`${a.p.properties?.lokaalID} × ${b.p.properties?.lokaalID}`);
				}
			}
		}
		expect(overlaps).toEqual([]);
		expect(sample.summary.overlapping).toBe(0);
	});

	it('have BGT-like sizes, shapes and attributes, and are marked synthetic', () => {
		const areas = sample.plots.map((p) => turf.area(p.feature)).sort((a, b) => a - b);
		// Between Delft's planting beds (median 2.3 m²) and Otterlo's municipal green (96 m²).
		expect(quantile(areas, 0.5)).toBeGreaterThan(8);
		expect(quantile(areas, 0.5)).toBeLessThan(60);
		expect(areas[0]).toBeGreaterThan(0.9);
		expect(quantile(areas, 0.1)).toBeLessThan(3); // tree pits
		expect(areas[areas.length - 1]).toBeGreaterThan(5000); // parks
		// The generator's own area agrees with turf's spherical one.
		for (const p of sample.plots) {
			expect(Math.abs(turf.area(p.feature) - p.areaM2) / p.areaM2).toBeLessThan(0.02);
		}
		const withHoles = sample.plots.filter((p) => p.feature.geometry.coordinates.length > 1);
		expect(withHoles.length / sample.plots.length).toBeGreaterThan(0.03);
		expect(withHoles.length / sample.plots.length).toBeLessThan(0.15);
		const vertices = sample.plots
			.map((p) => p.feature.geometry.coordinates[0].length - 1)
			.sort((a, b) => a - b);
		expect(vertices[0]).toBe(4);
		expect(quantile(vertices, 0.95)).toBeGreaterThan(20);

		const ids = sample.plots.map((p) => p.feature.properties.lokaalID);
		expect(ids[0]).toBe('SYNTH.1');
		expect(new Set(ids).size).toBe(ids.length);
		expect(ids.every((id) => /^SYNTH\.\d+$/.test(id))).toBe(true);
		const kinds = new Set(
			sample.plots.map((p) => `${p.feature.properties.fysiekVoorkomen}/${p.feature.properties.plus_fysiekVoorkomen}`)
		);
		expect(kinds.size).toBeGreaterThanOrEqual(8);
		expect(sample.plots.every((p) => p.feature.properties.bronhouder === 'G0503')).toBe(true);
	});

	it('shrink lawns and parks, not tree pits, when many must fit in little space', () => {
		const small = buurten.slice(0, 3);
		const { plots, summary } = generate(small, { plots: 20000 });
		expect(plots).toHaveLength(20000);
		expect(summary.sizeScale).toBeLessThan(0.5);
		expect(summary.overlapping).toBe(0);
		const pits = plots.filter((p) => p.shape === 'treePit').map((p) => p.areaM2).sort((a, b) => a - b);
		expect(quantile(pits, 0.5)).toBeGreaterThan(1.8);
		const shapes = small.map(asFeature);
		for (const p of plots.filter((_, i) => i % 50 === 0)) {
			expect(turf.booleanWithin(p.feature, shapes[p.neighbourhood])).toBe(true);
		}
	});

	it('read neighbourhoods in RD New as well as lon/lat', () => {
		const rd = proj4('EPSG:4326', RD_NEW_PROJ4);
		const rdJson = {
			...buurtenJson,
			crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::28992' } },
			features: buurtenJson.features.slice(0, 2).map((f: Feature<Polygon>) => ({
				...f,
				geometry: {
					type: 'Polygon',
					coordinates: f.geometry.coordinates.map((r) => r.map((p) => rd.forward([p[0], p[1]])))
				}
			}))
		};
		const fromRd = neighbourhoodsFromGeoJson(rdJson);
		expect(fromRd[0].name).toBe(buurten[0].name);
		const [lon, lat] = fromRd[0].polygons[0][0][0];
		expect(lon).toBeCloseTo(buurten[0].polygons[0][0][0][0], 6);
		expect(lat).toBeCloseTo(buurten[0].polygons[0][0][0][1], 6);
		// RD New metres that claim to be degrees are refused with a hint.
		expect(() => neighbourhoodsFromGeoJson({ ...rdJson, crs: undefined })).toThrow(/EPSG:28992/);
		expect(() => neighbourhoodsFromGeoJson({ type: 'FeatureCollection', features: [] })).toThrow(
			/no neighbourhoods/
		);
	});
});

describe('synthetic plot file', () => {
	it('is a GeoJSON FeatureCollection marked synthetic, written whole, and recognised as a cache', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perkje-synthetic-'));
		try {
			const options = { plots: 2500, seed: 3, owner: 'G0503', neighbourhoodsFile: BUURTEN_FILE, out: path.join(dir, 'p.geojson') };
			expect(isUpToDate(options)).toBe(false);
			const summary = await writeSyntheticFile(options);
			expect(summary.plots).toBe(2500);
			const json = JSON.parse(fs.readFileSync(options.out, 'utf8'));
			expect(json).toMatchObject({ type: 'FeatureCollection', name: 'synthetic', synthetic: true });
			expect(json.crs).toBeUndefined(); // RFC 7946: lon/lat, no crs member
			expect(json.features).toHaveLength(2500);
			expect(json.features).toEqual(generate(buurten, { plots: 2500, seed: 3 }).plots.map((p) => p.feature));
			expect(fs.readdirSync(dir)).toEqual(['p.geojson']); // no partial file left behind
			expect(readGeneratorStamp(options.out)).toMatchObject({ plots: 2500, seed: 3 });
			expect(isUpToDate(options)).toBe(true);
			expect(isUpToDate({ ...options, seed: 4 })).toBe(false);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});

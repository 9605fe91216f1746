import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getDatabase } from '#server/db';
import { ImportError, importPlots, type PlotImportSummary } from '#server/import';

/**
 * Files above a size (STREAM_ABOVE_BYTES, 256 MB) are streamed, one feature at a time,
 * instead of read into one string, which cannot be longer than about 512 MB. Here the
 * threshold is set low, so the seed files and small hand-made ones take the streamed path:
 * each must end as the same import, or the same refusal, as when read whole.
 */
const DELFT_PLOTS = 'db/seed/bgt_begroeidterreindeel_delft_3dfier.geojson';
/** Smaller than every file here but the empty ones: those are read whole either way. */
const STREAMED = { streamAboveBytes: 64 };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'perkje-streamed-import-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(name: string, content: string | object): string {
	const file = path.join(tmp, name);
	fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
	return file;
}

const square = (x: number, y: number, d = 0.0001) => [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]];
const plot = (properties: Record<string, unknown>, coordinates: number[][][]) => ({
	type: 'Feature',
	properties,
	geometry: { type: 'Polygon', coordinates }
});

/** What a summary says apart from how long it took. */
function outcome(summary: PlotImportSummary) {
	const { seconds: _seconds, ...rest } = summary;
	return rest;
}

async function refusal(run: () => Promise<unknown>): Promise<string> {
	const error = await run().then(
		() => undefined,
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(ImportError);
	return (error as ImportError).message;
}

describe('a file above the streaming threshold', () => {
	it('imports what the same file read whole imports: a re-import read whole finds every plot unchanged', async () => {
		const { db } = getDatabase();
		expect(fs.statSync(DELFT_PLOTS).size).toBeGreaterThan(STREAMED.streamAboveBytes);
		const streamed = await importPlots(db, { file: DELFT_PLOTS, ...STREAMED }, { owner: 'G0503', dataset: 'bgt-delft' });
		expect(streamed.new).toBeGreaterThan(100);
		const whole = await importPlots(db, { file: DELFT_PLOTS }, { owner: 'G0503', dataset: 'bgt-delft' });
		expect(whole).toMatchObject({ new: 0, updated: 0, unchanged: streamed.new, features: streamed.features });
		expect(whole.rejections).toEqual(streamed.rejections);
		expect(whole.repairKinds).toEqual(streamed.repairKinds);
	});

	it('cleans free text and rejects control characters in a source id as a file read whole does, BOM and all', async () => {
		const { db } = getDatabase();
		const json = {
			type: 'FeatureCollection',
			name: 'stroom\u0000proef',
			features: [
				plot({ lokaalID: 'S.nul', naam: 'Perk\u0000 aan de\u0007 gracht' }, square(4.36, 52.01)),
				plot({ lokaalID: 'S.\u0000id' }, square(4.3602, 52.01)),
				{ type: 'Feature', properties: { lokaalID: 'S.geen' } },
				42
			]
		};
		const file = write('stroom.geojson', '\ufeff' + JSON.stringify(json));
		const streamed = await importPlots(db, { file, ...STREAMED }, {});
		expect(streamed).toMatchObject({ dataset: 'stroomproef', features: 4, new: 1 });
		const whole = await importPlots(db, { file }, {});
		expect(outcome(whole)).toEqual({ ...outcome(streamed), new: 0, unchanged: 1 });
	});

	const delft = JSON.parse(fs.readFileSync(DELFT_PLOTS, 'utf8')) as { features: unknown[] };
	const refused: Array<[string, string | object]> = [
		['not JSON', '{"type": "FeatureCollection", "features": [{"type": "Feature"}, '],
		['JSON but not GeoJSON', { hello: 'world', features: 'none' }],
		['an array', [{ type: 'Feature' }]],
		['a single Feature', { type: 'Feature', properties: {}, geometry: null }],
		['an empty collection', { type: 'FeatureCollection', features: [] }],
		['a crs member it cannot read', { type: 'FeatureCollection', crs: 'RD', features: delft.features.slice(0, 2) }],
		['Points only', { type: 'FeatureCollection', features: [1, 2].map((i) => ({ type: 'Feature', properties: { lokaalID: `T${i}` }, geometry: { type: 'Point', coordinates: [5.77, 52.1] } })) }],
		['RD New coordinates declared as CRS84, the crs after the features', { features: delft.features.slice(0, 5), type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } } }]
	];

	it.each(refused)('%s: refused with the message a file read whole gets', async (name, content) => {
		const { db } = getDatabase();
		const file = write(`${name.replace(/\W+/g, '-')}.geojson`, content);
		const whole = await refusal(() => importPlots(db, { file }, {}));
		const streamed = await refusal(() => importPlots(db, { file, ...STREAMED }, {}));
		// The parsers word a syntax error each in their own way; the rest is the same.
		if (name === 'not JSON') expect(streamed).toMatch(/is not a JSON file \(.+\)\.$/);
		else expect(streamed).toBe(whole);
	});
});

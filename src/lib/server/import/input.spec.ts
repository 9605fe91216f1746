import { describe, expect, it } from 'vitest';
import { FeatureText, parseFeatureCollectionText, readFeature } from './input';

/** What the importer reads from a file, with each FeatureText parsed: must equal JSON.parse. */
function readAll(text: string): unknown {
	const doc = parseFeatureCollectionText(text) as { features?: unknown[] };
	if (!Array.isArray(doc.features)) return doc;
	return { ...doc, features: doc.features.map((f) => (f instanceof FeatureText ? JSON.parse(f.text) : f)) };
}

describe('reading a FeatureCollection one feature at a time', () => {
	const tricky = {
		type: 'FeatureCollection',
		name: 'quotes "and" {braces} [brackets] \\ backslashes',
		properties: { features: ['not', 'these'] },
		features: [
			{ type: 'Feature', properties: { naam: 'perk "}" ]{', pad: 'C:\\groen\\', nested: { features: [1] } }, geometry: null },
			{ type: 'Feature', properties: { leeg: '' }, geometry: { type: 'Polygon', coordinates: [[[4.3, 52], [4.4, 52], [4.4, 52.1], [4.3, 52]]] } }
		],
		crs: { type: 'name', properties: { name: 'EPSG:4326' } }
	};

	it.each([
		['compact', JSON.stringify(tricky)],
		['indented', JSON.stringify(tricky, null, 2)],
		['CRLF and tabs', JSON.stringify(tricky, null, '\t').replace(/\n/g, '\r\n')]
	])('gives what JSON.parse gives (%s), features and all', (_name, text) => {
		const doc = parseFeatureCollectionText(text) as { features: unknown[] };
		expect(doc.features.every((f) => f instanceof FeatureText)).toBe(true);
		expect(readAll(text)).toEqual(JSON.parse(text));
	});

	it('leaves what is not an array of objects to JSON.parse, errors included', () => {
		expect(readAll('{"type":"FeatureCollection","features":[1,2]}')).toEqual({ type: 'FeatureCollection', features: [1, 2] });
		expect(readAll('{"type":"FeatureCollection","features":[]}')).toEqual({ type: 'FeatureCollection', features: [] });
		expect(() => parseFeatureCollectionText('{"type": "FeatureCollection", "features": [')).toThrow(SyntaxError);
		expect(() => parseFeatureCollectionText('{"type": "FeatureCollection", "features": [{"a": 1}], }')).toThrow(SyntaxError);
	});

	it('rejects one broken feature by itself, with the parser\'s reason', () => {
		const doc = parseFeatureCollectionText('{"features":[{"type":"Feature","properties":{"a":tru},"geometry":null}]}') as {
			features: unknown[];
		};
		expect(readFeature(doc.features[0])).toMatchObject({ ok: false, reason: expect.stringMatching(/^not valid JSON/) });
	});
});

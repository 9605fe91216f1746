import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDatabase, queryRows, type Db } from '#server/db';
import { ImportError, importBasemap } from '#server/import';
import { DELFT_BASEMAP } from '#tests/integration/tiles-fixtures.js';
import { expectRefusedUnchanged } from '#tests/support/rejection.js';

/**
 * The basemap import on the real Delft BGT files (buildings, roads, water, terrain, walls,
 * bridges), on whichever database the suite runs on. The tests build on each other.
 */

const FILES = DELFT_BASEMAP;
const EXPECTED = { building: 160, road: 151, water: 3, terrain: 81, wall: 57, bridge: 3 };

// Delft's municipal bounds (db/seed/municipality.json): [west, south, east, north].
const DELFT = [4.3202, 51.9663, 4.4079, 52.0326];

type Collection = { type: 'FeatureCollection'; name?: string; crs?: unknown; features: { properties: Record<string, unknown>; geometry: unknown }[] };
const readJson = (file: string): Collection => JSON.parse(fs.readFileSync(file, 'utf8'));

let db: Db;
beforeAll(() => {
	db = getDatabase().db;
});

/** Row counts and a checksum of every row the basemap importer may write (runs that wrote nothing aside). */
async function snapshot(): Promise<Record<string, string>> {
	const out: Record<string, string> = {};
	for (const table of ['basemap_features', 'import_runs', 'data_versions']) {
		const [row] = await queryRows<{ n: number; sum: string }>(
			db,
			sql`select count(*)::int as n, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as sum
			    from ${sql.identifier(table)} t
			    where ${table === 'import_runs' ? sql`t.summary->>'outcome' = 'imported'` : sql`true`}`
		);
		out[table] = `${row.n}:${row.sum}`;
	}
	return out;
}

describe('the Delft BGT basemap', () => {
	it('imports each file into the layer its BGT object type names, every feature kept', async () => {
		for (const [layer, file] of Object.entries(FILES)) {
			const s = await importBasemap(db, { file }, {});
			expect(s, file).toMatchObject({ target: 'basemap', layer, crs: 'EPSG:28992 (RD New)', crsSource: 'file', rejected: 0 });
			expect(s.new, file).toBe(EXPECTED[layer as keyof typeof EXPECTED]);
		}
		const rows = await queryRows<{ layer: string; n: number }>(
			db,
			sql`select layer, count(*)::int as n from basemap_features group by layer order by layer`
		);
		expect(Object.fromEntries(rows.map((r) => [r.layer, r.n]))).toEqual(EXPECTED);
		const [runs] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from import_runs where target = 'basemap'`);
		expect(runs.n).toBe(6);
	});

	it('reprojects RD New: every building lands inside Delft, valid and a real building size', async () => {
		const [b] = await queryRows<{ w: number; s: number; e: number; n: number; valid: boolean; smallest: number; largest: number }>(
			db,
			sql`select ST_XMin(ST_Extent(geom)) as w, ST_YMin(ST_Extent(geom)) as s, ST_XMax(ST_Extent(geom)) as e,
			           ST_YMax(ST_Extent(geom)) as n, bool_and(ST_IsValid(geom)) as valid,
			           min(ST_Area(geom::geography)) as smallest, max(ST_Area(geom::geography)) as largest
			    from basemap_features where layer = 'building'`
		);
		expect(b.w).toBeGreaterThan(DELFT[0]);
		expect(b.s).toBeGreaterThan(DELFT[1]);
		expect(b.e).toBeLessThan(DELFT[2]);
		expect(b.n).toBeLessThan(DELFT[3]);
		expect(b.valid).toBe(true);
		expect(b.smallest).toBeGreaterThan(1);
		expect(b.largest).toBeLessThan(10_000);
		// Under the demo's plots, whose middle is at about [4.3668, 52.0123] (the plot file's
		// extent): the basemap covers the same few hundred metres of the centre.
		const [overlap] = await queryRows<{ near: boolean }>(
			db,
			sql`select ST_DWithin(ST_Centroid(ST_Extent(geom))::geography, ST_SetSRID(ST_MakePoint(4.3668, 52.0123), 4326)::geography, 100) as near
			    from basemap_features`
		);
		expect(overlap.near).toBe(true);
	});

	it('keeps the kinds the map tells apart: road functions, wall types, bridges above the ground', async () => {
		const kinds = await queryRows<{ layer: string; kind: string | null; level: number; n: number }>(
			db,
			sql`select layer, kind, level, count(*)::int as n from basemap_features
			    where layer in ('road', 'wall', 'bridge', 'building') group by 1, 2, 3 order by 1, 2, 3`
		);
		const of = (layer: string) => kinds.filter((k) => k.layer === layer);
		expect(new Set(of('road').map((k) => k.kind))).toEqual(
			new Set(['rijbaan lokale weg', 'voetpad', 'parkeervlak', 'voetpad op trap', 'voetgangersgebied'])
		);
		expect(new Set(of('wall').map((k) => k.kind))).toEqual(new Set(['muur', 'kademuur']));
		expect(of('bridge')).toEqual([{ layer: 'bridge', kind: 'dek', level: 1, n: 3 }]);
		expect(of('building').every((k) => k.kind === null)).toBe(true);
	});

	it('a re-import of the same file changes nothing, not even the data version', async () => {
		const before = await snapshot();
		const s = await importBasemap(db, { file: FILES.building }, {});
		expect(s).toMatchObject({ new: 0, updated: 0, unchanged: 160, removed: 0 });
		const after = await snapshot();
		expect(after.basemap_features).toBe(before.basemap_features);
		expect(after.data_versions).toBe(before.data_versions);
	});

	it('a re-import replaces the dataset: changed features updated, missing ones removed, other layers untouched', async () => {
		const roads = readJson(FILES.road);
		const [{ other }] = await queryRows<{ other: number }>(db, sql`select count(*)::int as other from basemap_features where layer <> 'road'`);
		const fewer = {
			...roads,
			features: roads.features.slice(0, 100).map((f, i) => (i === 0 ? { ...f, properties: { ...f.properties, function: 'fietspad' } } : f))
		};
		const s = await importBasemap(db, { name: 'bgt_wegdeel_delft_3dfier.geojson', json: fewer }, {});
		expect(s).toMatchObject({ layer: 'road', dataset: 'bgt_wegdeel', new: 0, updated: 1, unchanged: 99, removed: 51 });
		const [after] = await queryRows<{ roads: number; other: number; cycle: number }>(
			db,
			sql`select count(*) filter (where layer = 'road')::int as roads, count(*) filter (where layer <> 'road')::int as other,
			           count(*) filter (where kind = 'fietspad')::int as cycle from basemap_features`
		);
		expect(after).toEqual({ roads: 100, other, cycle: 1 });
		// And back to the full file.
		expect(await importBasemap(db, { file: FILES.road }, {})).toMatchObject({ new: 51, updated: 1, unchanged: 99 });
	});
});

describe('basemap files that must change nothing', () => {
	const walls = readJson(FILES.wall);
	const cases: [string, () => Promise<unknown>, RegExp][] = [
		['a file whose name names no BGT object type', () => importBasemap(db, { name: 'kaart.geojson', json: { ...walls, name: undefined } }, {}), /--layer building\|road/],
		[
			'RD New coordinates declared as CRS84',
			() => importBasemap(db, { name: 'bgt_scheiding.geojson', json: { ...walls, crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } } } }, {}),
			/cannot be degrees.*--crs EPSG:28992/
		],
		['an unknown layer', () => importBasemap(db, { file: FILES.wall }, { layer: 'forest' as never }), /Invalid import options: layer/]
	];

	it.each(cases)('%s: refused with a clear message, no row changed', async (_name, run, message) => {
		const error = await expectRefusedUnchanged(run, ImportError, message, snapshot);
		const [recorded] = await queryRows<{ target: string; outcome: string; reason: string }>(
			db,
			sql`select target, summary->>'outcome' as outcome, summary->>'reason' as reason from import_runs order by id desc limit 1`
		);
		expect(recorded).toEqual({ target: 'basemap', outcome: 'refused', reason: error.message });
	});

	it('rejects a bad feature by its number and reason, and imports the rest', async () => {
		const bad = {
			...walls,
			name: 'bgt_scheiding_test',
			features: walls.features.slice(0, 5).map((f, i) =>
				i === 2 ? { ...f, geometry: { type: 'Polygon', coordinates: [[[85000, 447500], [85001, 447500], [85002, 447500], [85000, 447500]]] } } : f
			)
		};
		const s = await importBasemap(db, { name: 'bgt_scheiding_test.geojson', json: bad }, {});
		expect(s).toMatchObject({ layer: 'wall', dataset: 'bgt_scheiding_test', features: 5, new: 4, rejected: 1 });
		expect(s.rejections).toEqual([{ feature: 3, sourceId: bad.features[2].properties.lokaalid, reason: expect.stringMatching(/no area left/) }]);
	});
});

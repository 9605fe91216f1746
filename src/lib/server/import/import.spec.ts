import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import proj4 from 'proj4';
import * as turf from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDatabase, queryRows, type Db } from '#server/db';
import {
	ImportError,
	importNeighbourhoods,
	importPlots,
	OTHER_OWNER_REASON_PREFIX,
	type ImportInput
} from '#server/import';
import { RD_NEW_PROJ4 } from '#lib/geo/crs.js';
import { expectRefusedUnchanged } from '#tests/support/rejection.js';

/**
 * The import service on the real seed files, on whichever database the suite runs on.
 * The tests build on each other (one database per file): Otterlo, then the Delft pair,
 * then re-imports, then files that must change nothing.
 */

const OTTERLO = 'db/seed/bgt_begroeidterreindeel_otterlo.geojson';
const DELFT_PLOTS = 'db/seed/bgt_begroeidterreindeel_delft_3dfier.geojson';
const DELFT_BUURTEN = 'db/seed/buurten_delft_cbs2023.geojson';

type AnyCollection = FeatureCollection<Polygon | MultiPolygon> & { crs?: unknown; name?: string };
const readJson = (file: string): AnyCollection => JSON.parse(fs.readFileSync(file, 'utf8'));

let db: Db;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'perkje-import-spec-'));

beforeAll(() => {
	db = getDatabase().db;
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function lastRun(): Promise<{ outcome: string; reason: string }> {
	const [row] = await queryRows<{ outcome: string; reason: string }>(
		db,
		sql`select summary->>'outcome' as outcome, summary->>'reason' as reason from import_runs order by id desc limit 1`
	);
	return row;
}

async function count(query: ReturnType<typeof sql>): Promise<number> {
	const [row] = await queryRows<{ n: number }>(db, query);
	return row.n;
}

/** Row counts and a checksum of every row the importer may write (runs that wrote nothing aside). */
async function snapshot(): Promise<Record<string, string>> {
	const out: Record<string, string> = {};
	for (const table of ['plots', 'neighbourhoods', 'import_runs']) {
		const [row] = await queryRows<{ n: number; sum: string }>(
			db,
			sql`select count(*)::int as n, md5(coalesce(string_agg(t::text, '|' order by t.id), '')) as sum
			    from ${sql.identifier(table)} t
			    where ${table === 'import_runs' ? sql`t.summary->>'outcome' = 'imported'` : sql`true`}`
		);
		out[table] = `${row.n}:${row.sum}`;
	}
	return out;
}

describe('Otterlo BGT (RD New, holes, former arcs, several owners)', () => {
	const source = readJson(OTTERLO);

	it('keeps other owners out with --skip-other-owners', async () => {
		const owners = new Map<string, number>();
		for (const f of source.features) {
			const o = String(f.properties?.bronhouder);
			owners.set(o, (owners.get(o) ?? 0) + 1);
		}
		// What the file holds: Ede (G0228) and three other organisations.
		expect(Object.fromEntries(owners)).toEqual({ G0228: 554, L0001: 70, L0003: 11, P0025: 3 });

		const s = await importPlots(db, { file: OTTERLO }, { owner: 'G0228', skipOtherOwners: true });
		expect(s).toMatchObject({ features: 638, new: 554, skipped: 84, rejected: 0, notAdoptable: 0 });
		expect(s.crs).toMatch(/28992/);
		expect(await count(sql`select count(*)::int as n from plots where owner <> 'G0228'`)).toBe(0);
	});

	it('imports other owners as not adoptable, with a reason, and matches the rest as unchanged', async () => {
		const s = await importPlots(db, { file: OTTERLO }, { owner: 'G0228' });
		expect(s).toMatchObject({ features: 638, new: 84, unchanged: 554, updated: 0, notAdoptable: 84, rejected: 0 });
		const rows = await queryRows<{ owner: string; adoptable: boolean; reason: string | null; n: number }>(
			db,
			sql`select owner, adoptable, not_adoptable_reason as reason, count(*)::int as n
			    from plots group by 1, 2, 3 order by 1`
		);
		expect(rows).toEqual([
			{ owner: 'G0228', adoptable: true, reason: null, n: 554 },
			{ owner: 'L0001', adoptable: false, reason: `${OTHER_OWNER_REASON_PREFIX} (bronhouder L0001)`, n: 70 },
			{ owner: 'L0003', adoptable: false, reason: `${OTHER_OWNER_REASON_PREFIX} (bronhouder L0003)`, n: 11 },
			{ owner: 'P0025', adoptable: false, reason: `${OTHER_OWNER_REASON_PREFIX} (bronhouder P0025)`, n: 3 }
		]);
	});

	it('stores areas within 1% of what PostGIS measures in RD New on the original coordinates', async () => {
		const original = JSON.stringify(
			source.features.map((f) => ({ id: f.properties?.lokaalID, geometry: f.geometry }))
		);
		const rows = await queryRows<{ source_id: string; stored: number; rd: number }>(
			db,
			sql`select p.source_id, p.area_m2 as stored,
			           ST_Area(ST_SetSRID(ST_GeomFromGeoJSON(o.geometry), 28992)) as rd
			    from json_to_recordset(${original}::json) as o(id text, geometry json)
			    join plots p on p.source_id = o.id`
		);
		expect(rows).toHaveLength(638);
		const worst = Math.max(...rows.map((r) => Math.abs(r.stored - r.rd) / r.rd));
		expect(worst).toBeLessThan(0.01);
		// Kind and finer kind come from fysiekVoorkomen / plus_fysiekVoorkomen.
		expect(await count(sql`select count(*)::int as n from plots where kind = 'groenvoorziening'`)).toBe(428);
		expect(await count(sql`select count(*)::int as n from plots where kind_detail = 'waardeOnbekend'`)).toBe(0);
	});

	it('keeps the holes and the shapes that had arcs, valid and in WGS84 around Otterlo', async () => {
		const withHoles = await count(
			sql`select count(*)::int as n from plots where ST_NRings(geom) > ST_NumGeometries(geom)`
		);
		expect(withHoles).toBe(48);
		const [row] = await queryRows<{ arcs: number; invalid: number; srid: number; x: number; y: number }>(
			db,
			sql`select count(*) filter (where (attributes->>'had_gml_arcs')::boolean)::int as arcs,
			           count(*) filter (where not ST_IsValid(geom))::int as invalid,
			           min(ST_SRID(geom)) as srid,
			           avg(ST_X(label_point)) as x, avg(ST_Y(label_point)) as y
			    from plots`
		);
		expect(row).toMatchObject({ arcs: 108, invalid: 0, srid: 4326 });
		// Otterlo lies at about 5.77 E, 52.10 N.
		expect(row.x).toBeCloseTo(5.77, 1);
		expect(row.y).toBeCloseTo(52.1, 1);
		// Label points lie on their plot.
		expect(await count(sql`select count(*)::int as n from plots where not ST_Intersects(label_point, geom)`)).toBe(0);
	});
});

describe('the Delft pair (lower-case fields, clockwise rings, CRS84 buurten)', () => {
	it('imports the plots before any neighbourhood exists, reporting the ring orientation repair', async () => {
		const s = await importPlots(db, { file: DELFT_PLOTS }, { owner: 'G0503', dataset: 'bgt-delft' });
		expect(s).toMatchObject({ features: 126, new: 126, rejected: 0, notAdoptable: 0, withoutNeighbourhood: 126 });
		expect(s.repaired).toBe(126);
		expect(s.repairKinds).toEqual({ 'ring orientation': 126 });
		expect(s.repairs[0].repairs).toEqual(['ring orientation']);
		const [row] = await queryRows<{ n: number; repaired: number; ccw: number; unknown: number; shrubs: number }>(
			db,
			sql`select count(*)::int as n,
			           count(*) filter (where repairs = array['ring orientation'])::int as repaired,
			           count(*) filter (where ST_IsPolygonCCW(geom))::int as ccw,
			           count(*) filter (where kind_detail is null)::int as unknown,
			           count(*) filter (where kind_detail = 'heesters')::int as shrubs
			    from plots where dataset = 'bgt-delft' and kind = 'groenvoorziening'`
		);
		expect(row).toEqual({ n: 126, repaired: 126, ccw: 126, unknown: 81, shrubs: 28 });
	});

	it('imports the 91 buurten and puts every plot in the buurt it overlaps most', async () => {
		const s = await importNeighbourhoods(db, { file: DELFT_BUURTEN }, {});
		expect(s).toMatchObject({ features: 91, new: 91, rejected: 0, plotsInNeighbourhood: 126 });
		// Otterlo has no buurten here.
		expect(s.plotsWithoutNeighbourhood).toBe(638);
		expect(await count(sql`select count(*)::int as n from neighbourhoods where source_key = name and code is null`)).toBe(91);

		// Independent check, outside PostGIS: proj4 reprojects, Turf intersects and measures.
		const buurten = (readJson(DELFT_BUURTEN).features as Feature<Polygon>[]).map((b) => ({ b, box: turf.bbox(b) }));
		const apart = (a: number[], b: number[]) => a[0] > b[2] || b[0] > a[2] || a[1] > b[3] || b[1] > a[3];
		const toWgs84 = proj4(RD_NEW_PROJ4, 'WGS84');
		const expected = new Map<string, string>();
		for (const f of readJson(DELFT_PLOTS).features as Feature<Polygon>[]) {
			const plot = turf.polygon(
				f.geometry.coordinates.map((ring) => ring.map((p) => toWgs84.forward([p[0], p[1]])))
			);
			let best = { name: '', area: 0 };
			const box = turf.bbox(plot);
			for (const { b, box: buurtBox } of buurten) {
				if (apart(box, buurtBox)) continue;
				const overlap = turf.intersect(turf.featureCollection([plot, b]));
				const area = overlap ? turf.area(overlap) : 0;
				if (area > best.area) best = { name: String(b.properties?.BU_NAAM), area };
			}
			expected.set(String(f.properties?.lokaalid), best.name);
		}
		expect(new Set(expected.values())).toEqual(new Set(['Centrum-Zuidoost', 'In de Veste']));

		const stored = await queryRows<{ source_id: string; name: string }>(
			db,
			sql`select p.source_id, n.name from plots p join neighbourhoods n on n.id = p.neighbourhood_id
			    where p.dataset = 'bgt-delft'`
		);
		expect(stored).toHaveLength(126);
		for (const row of stored) expect(row.name, row.source_id).toBe(expected.get(row.source_id));
	});
});

describe('re-imports', () => {
	it('are idempotent: same counts, no duplicates, everything unchanged', async () => {
		const before = await snapshot();
		const plots = await importPlots(db, { file: DELFT_PLOTS }, { owner: 'G0503', dataset: 'bgt-delft' });
		expect(plots).toMatchObject({ new: 0, updated: 0, unchanged: 126, vanished: 0 });
		const buurten = await importNeighbourhoods(db, { file: DELFT_BUURTEN }, {});
		expect(buurten).toMatchObject({ new: 0, updated: 0, unchanged: 91, vanished: 0 });
		const after = await snapshot();
		// Only the two new import_runs rows differ.
		expect(after.plots).toBe(before.plots);
		expect(after.neighbourhoods).toBe(before.neighbourhoods);
		expect(await count(sql`select count(*)::int as n from (select source_id from plots group by 1 having count(*) > 1) d`)).toBe(0);
		expect(await count(sql`select count(*)::int as n from import_runs`)).toBe(6);
	});

	it('list plots that vanished from the source, and retire them only when asked', async () => {
		const full = readJson(DELFT_PLOTS);
		const part: ImportInput = { name: 'delft-part.geojson', json: { ...full, features: full.features.slice(0, 100) } };
		const listed = await importPlots(db, part, { owner: 'G0503', dataset: 'bgt-delft' });
		expect(listed).toMatchObject({ unchanged: 100, vanished: 26, retired: 0 });
		expect(listed.vanishedIds).toEqual(
			full.features.slice(100).map((f) => String(f.properties?.lokaalid)).sort()
		);
		expect(await count(sql`select count(*)::int as n from plots where dataset = 'bgt-delft' and status = 'active'`)).toBe(126);

		const retired = await importPlots(db, part, { owner: 'G0503', dataset: 'bgt-delft', retireMissing: true });
		expect(retired).toMatchObject({ unchanged: 100, vanished: 26, retired: 26 });
		expect(
			await count(sql`select count(*)::int as n from plots where status = 'retired' and retired_at is not null`)
		).toBe(26);

		// Back in the source: active again, counted as updated.
		const back = await importPlots(db, { file: DELFT_PLOTS }, { owner: 'G0503', dataset: 'bgt-delft' });
		expect(back).toMatchObject({ updated: 26, unchanged: 100, new: 0, vanished: 0 });
		expect(await count(sql`select count(*)::int as n from plots where status = 'retired'`)).toBe(0);
	});

	it('keep a manager\'s "not adoptable" but lift the importer\'s own when the owner changes', async () => {
		await db.execute(sql`update plots set adoptable = false, not_adoptable_reason = 'Busy road'
		                     where source_id = 'G0228.05b734acca4c4a18a8a6cf9e60243388'`);
		const otterlo = readJson(OTTERLO);
		// The province hands a plot over to the municipality.
		const handedOver = otterlo.features.find((f) => f.properties?.bronhouder === 'P0025')!;
		const changed = {
			...otterlo,
			features: otterlo.features.map((f) =>
				f === handedOver ? { ...f, properties: { ...f.properties, bronhouder: 'G0228' } } : f
			)
		};
		const s = await importPlots(db, { name: OTTERLO, json: changed }, { owner: 'G0228' });
		// The handed-over plot is updated; the manager's plot is unchanged: "Busy road" stands.
		expect(s).toMatchObject({ updated: 1, unchanged: 637, notAdoptable: 83 });
		const rows = await queryRows<{ source_id: string; adoptable: boolean; reason: string | null }>(
			db,
			sql`select source_id, adoptable, not_adoptable_reason as reason from plots
			    where source_id in ('G0228.05b734acca4c4a18a8a6cf9e60243388', ${String(handedOver.properties?.lokaalID)})
			    order by source_id`
		);
		expect(rows).toContainEqual({
			source_id: 'G0228.05b734acca4c4a18a8a6cf9e60243388',
			adoptable: false,
			reason: 'Busy road'
		});
		expect(rows).toContainEqual({ source_id: String(handedOver.properties?.lokaalID), adoptable: true, reason: null });
	});
});

describe('files that must change nothing', () => {
	function write(name: string, content: string | object): string {
		const file = path.join(tmp, name);
		fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
		return file;
	}
	const delft = readJson(DELFT_PLOTS);
	const buurten = readJson(DELFT_BUURTEN);
	const points = {
		type: 'FeatureCollection',
		features: [1, 2, 3].map((i) => ({
			type: 'Feature',
			properties: { lokaalID: `T${i}` },
			geometry: { type: 'Point', coordinates: [5.77 + i / 1000, 52.1] }
		}))
	};

	const cases: [string, () => Promise<unknown>, RegExp][] = [
		['not JSON', () => importPlots(db, { file: write('broken.geojson', '{"type": "FeatureCollection", "features": [') }, {}), /not a JSON file/],
		['no such file', () => importPlots(db, { file: path.join(tmp, 'missing.geojson') }, {}), /no such file/],
		['JSON but not GeoJSON', () => importPlots(db, { file: write('other.json', { hello: 'world' }) }, {}), /not GeoJSON/],
		['a single Feature', () => importPlots(db, { name: 'feature.json', json: delft.features[0] }, {}), /not a FeatureCollection/],
		['an empty collection', () => importPlots(db, { file: write('empty.geojson', { type: 'FeatureCollection', features: [] }) }, {}), /no features/],
		['Points only', () => importPlots(db, { file: write('points.geojson', points) }, {}), /no Polygon or MultiPolygon features \(found 3 × Point\)/],
		[
			'RD New coordinates declared as CRS84',
			() => importPlots(db, { name: 'rd-as-degrees.geojson', json: { ...delft, crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } } } }, {}),
			/cannot be degrees.*--crs EPSG:28992/
		],
		[
			'RD New coordinates without a crs member (RFC 7946 degrees)',
			() => importPlots(db, { name: 'rd-no-crs.geojson', json: { ...delft, crs: undefined } }, {}),
			/no "crs" member.*--crs EPSG:28992/
		],
		[
			'degrees declared as RD New',
			() => importNeighbourhoods(db, { name: 'degrees-as-rd.geojson', json: { ...buurten, crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::28992' } } } }, {}),
			/cannot be RD New metres.*--crs EPSG:4326/
		],
		['degrees with --crs EPSG:28992', () => importNeighbourhoods(db, { file: DELFT_BUURTEN }, { crs: 'EPSG:28992' }), /--crs says EPSG:28992.*--crs EPSG:4326/],
		['an unknown CRS', () => importPlots(db, { file: DELFT_PLOTS }, { crs: 'EPSG:999999' }), /PostGIS does not know EPSG:999999/],
		['a bad option', () => importPlots(db, { file: DELFT_PLOTS }, { minPartAreaM2: -1 }), /Invalid import options: minPartAreaM2/]
	];

	it.each(cases)('%s: rejected with a clear message, no row changed', async (_name, run, message) => {
		const error = await expectRefusedUnchanged(run, ImportError, message, snapshot);
		// Nothing was written, yet the run is on record with the reason the operator was given.
		expect(await lastRun()).toEqual({ outcome: 'refused', reason: error.message });
	});

	it('a crash half-way (after the first batches were written) leaves the database as it was', async () => {
		const before = await snapshot();
		const moved = {
			...delft,
			features: delft.features.map((f, i) => ({ ...f, properties: { ...f.properties, lokaalid: `crash-${i}` } }))
		};
		await expect(
			importPlots(db, { name: 'crash.geojson', json: moved }, { batchSize: 20 }, (done) => {
				if (done >= 60) throw new Error('power cut');
			})
		).rejects.toThrow('power cut');
		expect(await snapshot()).toEqual(before);
		expect(await lastRun()).toEqual({ outcome: 'failed', reason: 'power cut' });
	});
});

describe('repairs and per-feature rejections', () => {
	// Small shapes near Delft in RD New metres; x0/y0 keep them apart.
	const rd = (x0: number, y0: number, pts: number[][]) => pts.map(([x, y]) => [84000 + x0 + x, 447000 + y0 + y]);
	const feature = (id: string | undefined, geometry: object | null) => ({
		type: 'Feature',
		properties: id === undefined ? { naam: 'zonder id' } : { lokaalID: id, bronhouder: 'G0503', fysiekVoorkomen: 'groenvoorziening' },
		geometry
	});
	const collection = {
		type: 'FeatureCollection',
		name: 'repairs',
		crs: { type: 'name', properties: { name: 'EPSG:28992' } },
		features: [
			// 1: a bow tie: self-intersecting, ST_MakeValid makes two triangles
			feature('R.bowtie', { type: 'Polygon', coordinates: [rd(0, 0, [[0, 0], [10, 10], [10, 0], [0, 10], [0, 0]])] }),
			// 2: open ring
			feature('R.open', { type: 'Polygon', coordinates: [rd(20, 0, [[0, 0], [10, 0], [10, 10], [0, 10]])] }),
			// 3: all corners on one line: no area at all
			feature('R.flat', { type: 'Polygon', coordinates: [rd(40, 0, [[0, 0], [5, 0], [10, 0], [0, 0]])] }),
			// 4: a plot with a 1 cm² crumb beside it
			feature('R.crumb', {
				type: 'MultiPolygon',
				coordinates: [
					[rd(60, 0, [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]])],
					[rd(75, 0, [[0, 0], [0.01, 0], [0.01, 0.01], [0, 0.01], [0, 0]])]
				]
			}),
			// 5: only a crumb
			feature('R.sliver', { type: 'Polygon', coordinates: [rd(90, 0, [[0, 0], [0.1, 0], [0.1, 0.1], [0, 0]])] }),
			// 6: a line in a polygon file
			feature('R.line', { type: 'LineString', coordinates: rd(0, 30, [[0, 0], [10, 10]]) }),
			// 7: no id at all
			feature(undefined, { type: 'Polygon', coordinates: [rd(0, 60, [[0, 0], [10, 0], [10, 10], [0, 0]])] }),
			// 8: the same id as feature 2
			feature('R.open', { type: 'Polygon', coordinates: [rd(0, 90, [[0, 0], [10, 0], [10, 10], [0, 0]])] }),
			// 9: no geometry
			feature('R.none', null),
			// 10: fine
			feature('R.fine', { type: 'Polygon', coordinates: [rd(0, 120, [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]])] })
		]
	};

	it('repairs what it can, says so, and rejects the rest with feature number, source id and reason', async () => {
		const s = await importPlots(db, { name: 'repairs.geojson', json: collection }, {});
		expect(s).toMatchObject({ features: 10, new: 4, rejected: 6, dataset: 'repairs' });
		expect(s.repairs).toEqual([
			{ feature: 1, sourceId: 'R.bowtie', repairs: ['invalid geometry made valid: self-intersection'] },
			{ feature: 2, sourceId: 'R.open', repairs: ['ring closed'] },
			{ feature: 4, sourceId: 'R.crumb', repairs: ['sliver parts dropped'] }
		]);
		expect(s.rejections.map((r) => [r.feature, r.sourceId])).toEqual([
			[3, 'R.flat'],
			[5, 'R.sliver'],
			[6, 'R.line'],
			[7, null],
			[8, 'R.open'],
			[9, 'R.none']
		]);
		const reasons = Object.fromEntries(s.rejections.map((r) => [r.feature, r.reason]));
		expect(reasons[3]).toMatch(/no area left/);
		expect(reasons[5]).toMatch(/smaller than 0.1 m².*sliver/);
		expect(reasons[6]).toMatch(/LineString, not Polygon or MultiPolygon/);
		expect(reasons[7]).toMatch(/no source id.*--id-field/);
		expect(reasons[8]).toMatch(/same source id as feature 2/);
		expect(reasons[9]).toMatch(/no geometry/);

		const rows = await queryRows<{ source_id: string; parts: number; area: number; valid: boolean; repairs: string[] | null }>(
			db,
			sql`select source_id, ST_NumGeometries(geom) as parts, area_m2 as area, ST_IsValid(geom) as valid, repairs
			    from plots where dataset = 'repairs' order by source_id`
		);
		expect(rows.map((r) => [r.source_id, r.parts, Math.round(r.area), r.valid])).toEqual([
			['R.bowtie', 2, 50, true],
			['R.crumb', 1, 100, true],
			['R.fine', 1, 100, true],
			['R.open', 1, 100, true]
		]);
		expect(rows.find((r) => r.source_id === 'R.fine')?.repairs).toBeNull();
	});
});

describe('bad text and implausible shapes in a file', () => {
	const square = (x: number, y: number, d = 0.0001) => [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]];
	const plot = (properties: Record<string, unknown>, coordinates: number[][][], id?: unknown) => ({
		type: 'Feature',
		...(id === undefined ? {} : { id }),
		properties,
		geometry: { type: 'Polygon', coordinates }
	});
	const delftBounds = { bounds: [4.29, 51.948, 4.437, 52.051] as [number, number, number, number], boundsName: "Delft's bounds" };

	it('rejects a plot outside the given bounds or larger than 1 km² by number, and imports the rest', async () => {
		const s = await importPlots(
			db,
			{
				name: 'implausible.geojson',
				json: {
					type: 'FeatureCollection',
					features: [
						plot({ lokaalID: 'I.fine' }, square(4.36, 52.01)),
						plot({ lokaalID: 'I.world' }, [[[-179, -89], [179, -89], [179, 89], [-179, 89], [-179, -89]]]),
						plot({ lokaalID: 'I.otterlo' }, square(5.77, 52.1)),
						plot({ lokaalID: 'I.huge' }, square(4.33, 51.98, 0.04))
					]
				}
			},
			delftBounds
		);
		expect(s).toMatchObject({ features: 4, new: 1, rejected: 3 });
		expect(s.rejections.map((r) => [r.feature, r.sourceId, r.reason.replace(/ \(.*/, '')])).toEqual([
			[2, 'I.world', "outside Delft's bounds"],
			[3, 'I.otterlo', "outside Delft's bounds"],
			[4, 'I.huge', 'larger than 1,000,000 m²']
		]);
		expect(s.rejections[0].reason).toContain('it spans -179…179 E, -89…89 N');
		expect(await count(sql`select count(*)::int as n from plots where source_id like 'I.%'`)).toBe(1);
		// Without bounds the world box is still no plot; a raised limit lets a large one in.
		const unbounded = await importPlots(db, { name: 'huge.geojson', json: { type: 'FeatureCollection', features: [plot({ lokaalID: 'I.huge' }, square(4.33, 51.98, 0.04)), plot({ lokaalID: 'I.fine' }, square(4.36, 52.01))] } }, { maxAreaM2: 20_000_000 });
		expect(unbounded).toMatchObject({ new: 1, rejected: 0 });
	});

	it('strips NUL and other control characters from free text, and rejects them in a source id by number', async () => {
		const s = await importPlots(db, {
			name: 'control.geojson',
			json: {
				type: 'FeatureCollection',
				name: 'control\u0000characters',
				features: [
					plot({ lokaalID: 'C.nul', fysiekVoorkomen: 'gras\u0000', naam: 'Perk\u0000 aan de\u0007 gracht', 'sleutel\u0000': { diep: ['a\u0000b'] } }, square(4.36, 52.01)),
					plot({ lokaalID: 'C.\u0000id' }, square(4.3602, 52.01)),
					plot({ lokaalID: 'C.surrogate', naam: 'half \ud800 teken' }, square(4.3604, 52.01)),
					plot({ lokaalID: 'C.lines', opmerking: 'regel 1\nregel 2\tnaast' }, square(4.3606, 52.01))
				]
			}
		}, {});
		expect(s).toMatchObject({ dataset: 'controlcharacters', features: 4, new: 3, rejected: 1 });
		expect(s.rejections).toEqual([
			{ feature: 2, sourceId: null, reason: expect.stringMatching(/^the source id "C\.\\u0000id" contains a control character/) }
		]);
		const rows = await queryRows<{ source_id: string; kind: string; attributes: Record<string, unknown> }>(
			db,
			sql`select source_id, kind, attributes from plots where source_id like 'C.%' order by source_id`
		);
		expect(rows).toEqual([
			{ source_id: 'C.lines', kind: 'unknown', attributes: { opmerking: 'regel 1\nregel 2\tnaast' } },
			{ source_id: 'C.nul', kind: 'gras', attributes: { naam: 'Perk aan de gracht', sleutel: { diep: ['ab'] } } },
			{ source_id: 'C.surrogate', kind: 'unknown', attributes: { naam: 'half \ufffd teken' } }
		]);
	});

	it('rejects a source id that is an object, an array or a boolean, by number, instead of storing "[object Object]"', async () => {
		const s = await importPlots(db, {
			name: 'object-ids.geojson',
			json: {
				type: 'FeatureCollection',
				features: [
					plot({ lokaalID: { namespace: 'NL.IMGeo', lokaalID: 'O.1' } }, square(4.361, 52.01)),
					plot({ lokaalID: ['O.2'] }, square(4.3612, 52.01)),
					plot({ lokaalID: true }, square(4.3614, 52.01)),
					plot({ lokaalID: 12345 }, square(4.3616, 52.01))
				]
			}
		}, {});
		expect(s).toMatchObject({ new: 1, rejected: 3 });
		expect(s.rejections.map((r) => [r.feature, r.reason.replace(/ \(.*/, '')])).toEqual([
			[1, 'the source id is an object'],
			[2, 'the source id is an array'],
			[3, 'the source id is a boolean']
		]);
		expect(s.rejections[0].reason).toMatch(/not a string or number; name another field with --id-field/);
		expect(await count(sql`select count(*)::int as n from plots where source_id = '[object Object]'`)).toBe(0);
		expect(await count(sql`select count(*)::int as n from plots where source_id = '12345'`)).toBe(1);
	});

	it('reads a file that starts with a UTF-8 byte order mark', async () => {
		const file = path.join(tmp, 'bom.geojson');
		const json = { type: 'FeatureCollection', features: [plot({ lokaalID: 'B.1', naam: 'Bloemperk' }, square(4.362, 52.01))] };
		fs.writeFileSync(file, '\ufeff' + JSON.stringify(json), 'utf8');
		expect(fs.readFileSync(file).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
		const s = await importPlots(db, { file }, {});
		expect(s).toMatchObject({ dataset: 'bom', new: 1, rejected: 0 });
	});

	it('records a file whose every feature is rejected as a refused run, and writes no plot', async () => {
		const before = await snapshot();
		await expect(
			importPlots(db, { name: 'only-world.geojson', json: { type: 'FeatureCollection', features: [plot({ lokaalID: 'W.1' }, [[[-179, -89], [179, -89], [179, 89], [-179, 89], [-179, -89]]])] } }, delftBounds)
		).rejects.toThrow(/none of its 1 features can be imported \(first problem: feature 1 \(W\.1\): outside Delft's bounds/);
		expect(await snapshot()).toEqual(before);
		expect(await lastRun()).toMatchObject({ outcome: 'refused', reason: expect.stringMatching(/none of its 1 features/) });
	});
});

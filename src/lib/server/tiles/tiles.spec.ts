import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { getDatabase, queryRows, type Db } from '#server/db';
import { tileBounds4326, tileForPoint, type TileCoord } from '#lib/geo/tiles.js';
import { BASEMAP_MIN_ZOOM, PLOT_DETAIL_MIN_ZOOM, PLOT_POINT_MIN_ZOOM, TILESETS, renderInJavaScript, renderWithPostgis } from '#server/tiles';
import { PLOT_STATES, plotState } from '#lib/domain/plot-state.js';
import { plotStateFromJoinSql, plotAdoptionsJoinSql, plotStateSql, searchPlots } from '#server/plots';
import { DEFAULT_PLOT_FILTERS, NO_MAP_FILTERS, type MapPlotFilters } from '#lib/domain/plot-filters.js';
import { decodeTile, DELFT_BASEMAP, seedDelft, seedDelftBasemap, type DecodedFeature } from '#tests/integration/tiles-fixtures.js';

/**
 * The tiles themselves, decoded as MapLibre would, on whichever database the suite runs on.
 * On PostgreSQL both renderers run and must agree; on the embedded database only the
 * JavaScript one exists (PGlite's PostGIS has no ST_AsMVT), and it is checked against SQL.
 */

interface PlotRow {
	id: number;
	lng: number;
	lat: number;
}
let plots: PlotRow[];
let centre: PlotRow;

beforeAll(async () => {
	const { db } = getDatabase();
	const seeded = await seedDelft(db);
	expect(seeded.plots).toBe(126);
	expect(await seedDelftBasemap(db)).toBe(455);
	plots = await queryRows<PlotRow>(
		db,
		sql`SELECT id, ST_X(label_point) AS lng, ST_Y(label_point) AS lat FROM plots ORDER BY id`
	);
	// The plot nearest the middle of the data, so its tiles at every zoom hold many plots.
	const mid = {
		lng: plots.reduce((s, p) => s + p.lng, 0) / plots.length,
		lat: plots.reduce((s, p) => s + p.lat, 0) / plots.length
	};
	centre = plots.reduce((best, p) =>
		Math.hypot(p.lng - mid.lng, p.lat - mid.lat) < Math.hypot(best.lng - mid.lng, best.lat - mid.lat) ? p : best
	);
});

function renderers() {
	const database = getDatabase();
	const list = [{ name: 'javascript', render: renderInJavaScript }];
	if (database.kind === 'postgres') list.unshift({ name: 'postgis', render: renderWithPostgis });
	return list;
}

/** Plot ids whose polygon (or label point) really is in the tile, straight from SQL. */
async function plotIdsInTile(
	tile: TileCoord,
	column: 'geom' | 'label_point' = 'geom',
	db: Db = getDatabase().db
): Promise<number[]> {
	const [w, s, e, n] = tileBounds4326(tile);
	const rows = await queryRows<{ id: number }>(
		db,
		sql`SELECT id FROM plots WHERE status = 'active'
			AND ST_Intersects(${sql.identifier(column)}, ST_MakeEnvelope(${w}::float8, ${s}::float8, ${e}::float8, ${n}::float8, 4326))
			ORDER BY id`
	);
	return rows.map((r) => r.id);
}

function centroid(f: DecodedFeature): [number, number] {
	const coords = JSON.stringify(f.geojson.geometry).match(/-?\d+\.?\d*(e-?\d+)?/g)!.map(Number);
	const lngs = coords.filter((_, i) => i % 2 === 0);
	const lats = coords.filter((_, i) => i % 2 === 1);
	return [(Math.min(...lngs) + Math.max(...lngs)) / 2, (Math.min(...lats) + Math.max(...lats)) / 2];
}

describe('plot tiles', () => {
	it.each([15, 16, 17])('at zoom %i hold every active plot in the tile, with state and kind', async (z) => {
		const tile = tileForPoint(centre.lng, centre.lat, z);
		const expected = await plotIdsInTile(tile);
		expect(expected.length).toBeGreaterThan(0);
		for (const { name, render } of renderers()) {
			const bytes = await render(getDatabase().db, TILESETS.plots, tile);
			expect(bytes, name).not.toBeNull();
			const layers = decodeTile(bytes!, tile);
			expect(Object.keys(layers), name).toEqual(['plots']);
			const features = layers.plots.features;
			// Plots just outside the tile come along in its buffer; every plot inside must be there.
			const ids = features.map((f) => f.id!);
			expect(ids, name).toEqual(expect.arrayContaining(expected));
			for (const f of features) {
				expect(f.type, name).toBe(3);
				expect(Object.keys(f.properties).sort(), name).toEqual(['area_m2', 'kind', 'neighbourhood_id', 'state']);
				expect(f.properties.state).toBe('available');
				expect(f.properties.kind).toBe('groenvoorziening');
				expect(Number.isInteger(f.properties.area_m2)).toBe(true);
			}
			// Geometry lands where the plot is: within a couple of metres of its label point's plot.
			const mine = features.find((f) => f.id === centre.id)!;
			const [lng, lat] = centroid(mine);
			expect(Math.abs(lng - centre.lng), name).toBeLessThan(0.0005);
			expect(Math.abs(lat - centre.lat), name).toBeLessThan(0.0005);
		}
	});

	it('one zoom below the detail carry every plot as a point with its state', async () => {
		expect(PLOT_POINT_MIN_ZOOM).toBe(PLOT_DETAIL_MIN_ZOOM - 1);
		const tile = tileForPoint(centre.lng, centre.lat, PLOT_POINT_MIN_ZOOM);
		const expected = await plotIdsInTile(tile, 'label_point');
		expect(expected.length).toBeGreaterThan(0);
		for (const { name, render } of renderers()) {
			const layers = decodeTile((await render(getDatabase().db, TILESETS.plots, tile))!, tile);
			expect(Object.keys(layers), name).toEqual(['plot_points']);
			const features = layers.plot_points.features;
			expect(features.map((f) => f.id!), name).toEqual(expect.arrayContaining(expected));
			for (const f of features) {
				expect(f.type).toBe(1);
				expect(f.properties).toEqual({ state: 'available' });
			}
			const mine = features.find((f) => f.id === centre.id)!;
			const [lng, lat] = (mine.geojson.geometry as GeoJSON.Point).coordinates;
			expect(Math.abs(lng - centre.lng)).toBeLessThan(0.0001);
			expect(Math.abs(lat - centre.lat)).toBeLessThan(0.0001);
		}
	});

	it.each([PLOT_POINT_MIN_ZOOM - 1, PLOT_POINT_MIN_ZOOM - 2])('at zoom %i carry plot counts per neighbourhood instead of plots', async (z) => {
		const tile = tileForPoint(centre.lng, centre.lat, z);
		const [expected] = await queryRows<{ plots: number; neighbourhoods: number }>(
			getDatabase().db,
			sql`SELECT count(*)::int AS plots, count(DISTINCT neighbourhood_id)::int AS neighbourhoods
				FROM plots WHERE neighbourhood_id IS NOT NULL`
		);
		for (const { name, render } of renderers()) {
			const layers = decodeTile((await render(getDatabase().db, TILESETS.plots, tile))!, tile);
			expect(Object.keys(layers), name).toEqual(['plot_counts']);
			const features = layers.plot_counts.features;
			expect(features.length, name).toBe(expected.neighbourhoods);
			expect(features.reduce((s, f) => s + Number(f.properties.plots), 0), name).toBe(expected.plots);
			for (const f of features) {
				expect(f.type).toBe(1);
				expect(f.properties.available).toBe(f.properties.plots);
				expect(f.properties.adopted).toBe(0);
				expect(typeof f.properties.name).toBe('string');
			}
		}
	});

	it.each([PLOT_POINT_MIN_ZOOM - 1, PLOT_POINT_MIN_ZOOM - 2])('at zoom %i count the plots of a tile without any neighbourhood label point in it, rather than answer empty', async (z) => {
		const tile = tileForPoint(centre.lng, centre.lat, z);
		const [w, s, e, n] = tileBounds4326(tile);
		const rollback = new Error('rollback');
		await getDatabase()
			.db.transaction(async (tx) => {
				// Every label point two tiles east: the tile still holds every plot, but no neighbourhood's label.
				await tx.execute(sql`UPDATE neighbourhoods SET label_point = ST_Translate(label_point, ${2 * (e - w)}::float8, 0)`);
				const inTile = await plotIdsInTile(tile, 'label_point', tx);
				const hoods = await queryRows<{ id: number }>(tx, sql`SELECT id FROM neighbourhoods`);
				expect(inTile.length).toBeGreaterThan(100);
				for (const { name, render } of renderers()) {
					const bytes = await render(tx, TILESETS.plots, tile);
					expect(bytes, name).not.toBeNull();
					const counts = decodeTile(bytes!, tile).plot_counts.features;
					expect(counts.reduce((sum, f) => sum + Number(f.properties.plots), 0), name).toBe(inTile.length);
					// Parts, not whole neighbourhoods (their circles are two tiles east), drawn where their plots are.
					expect(counts.map((f) => f.id).filter((id) => hoods.some((h) => h.id === id)), name).toEqual([]);
					for (const f of counts) {
						const [lng, lat] = (f.geojson.geometry as GeoJSON.Point).coordinates;
						expect(lng >= w && lng <= e && lat >= s && lat <= n, `${name} ${f.id}`).toBe(true);
					}
				}
				if (getDatabase().kind === 'postgres') expect(await compareRenderers(tx, [tile], NO_MAP_FILTERS)).toBeGreaterThan(0);
				throw rollback;
			})
			.catch((e) => {
				if (e !== rollback) throw e;
			});
	});

	it('are empty far away from any plot', async () => {
		const tile = tileForPoint(-150, -40, 16);
		for (const { render } of renderers()) {
			expect(await render(getDatabase().db, TILESETS.plots, tile)).toBeNull();
		}
	});

	// Only PostgreSQL has both renderers: reported as skipped on the embedded run, which
	// checks the JavaScript renderer against the list instead (the filter test above).
	it.runIf(Boolean(process.env.DATABASE_URL))('from ST_AsMVT and from JavaScript agree on layers, ids, properties and geometry, filtered or not', async () => {
		expect(getDatabase().kind).toBe('postgres');
		const zooms = [12, 13, 14, 15, 16, 17];
		const tiles = zooms.flatMap((z) => {
			const t = tileForPoint(centre.lng, centre.lat, z);
			return [t, { ...t, x: t.x + 1 }, { ...t, y: t.y - 1 }];
		});
		await withVariedPlots(async (db, hood) => {
			const variants: MapPlotFilters[] = [
				NO_MAP_FILTERS,
				{ ...NO_MAP_FILTERS, kind: 'grasland', min_m2: 20 },
				{ ...NO_MAP_FILTERS, neighbourhood: hood, state: 'adopted' }
			];
			const compared = [];
			for (const filters of variants) compared.push(await compareRenderers(db, tiles, filters));
			expect(compared[0]).toBeGreaterThan(100);
			expect(compared[1]).toBeGreaterThan(10);
			expect(compared[2]).toBeGreaterThan(0);
		});
	});
});

/**
 * Kinds, sizes and states vary among the demo plots (all available "groenvoorziening" as
 * seeded) inside a transaction that is rolled back, so other tests see the seeded data.
 * `hood` is the centre plot's neighbourhood.
 */
async function withVariedPlots(run: (db: Db, hood: number) => Promise<void>): Promise<void> {
	const rollback = new Error('rollback');
	await getDatabase()
		.db.transaction(async (tx) => {
			await tx.execute(sql`UPDATE plots SET kind = 'grasland' WHERE id % 3 = 0`);
			await tx.execute(sql`UPDATE plots SET adoptable = false WHERE id % 11 = 0`);
			await tx.execute(sql`INSERT INTO users (id, email) VALUES ('tile-filter-test', 'tile-filter@test.invalid')`);
			await tx.execute(sql`INSERT INTO adoptions (plot_id, user_id, status)
				SELECT id, 'tile-filter-test', CASE WHEN id % 2 = 0 THEN 'active' ELSE 'requested' END
				FROM plots WHERE adoptable AND (id % 4 = 0 OR id % 5 = 0)`);
			const [{ hood }] = await queryRows<{ hood: number }>(tx, sql`SELECT neighbourhood_id AS hood FROM plots WHERE id = ${centre.id}`);
			await run(tx, hood);
			throw rollback;
		})
		.catch((e) => {
			if (e !== rollback) throw e;
		});
}

/** Renders the tiles both ways and compares them; returns how many features were compared. */
async function compareRenderers(
	db: Db,
	tiles: TileCoord[],
	filters: MapPlotFilters,
	tileset: (typeof TILESETS)[keyof typeof TILESETS] = TILESETS.plots,
	/**
	 * How far the bounding boxes may differ, in tile units (8 are one screen pixel of a 512 px
	 * tile); `visible`: only the part inside the tile counts (clipping leaves different
	 * zero-width slivers along the buffer's edge).
	 */
	bboxTolerance: { units: number; visible: boolean } = { units: 4, visible: false }
): Promise<number> {
	let compared = 0;
	for (const tile of tiles) {
		const js = await renderInJavaScript(db, tileset, tile, filters);
		const pg = await renderWithPostgis(db, tileset, tile, filters);
		const label = JSON.stringify({ tile, filters });
		expect(pg === null, `empty? ${label}`).toBe(js === null);
		if (!pg || !js) continue;
		const a = decodeTile(pg, tile);
		const b = decodeTile(js, tile);
		expect(Object.keys(b), label).toEqual(Object.keys(a));
		for (const layer of Object.keys(a)) {
			expect(b[layer].extent).toBe(a[layer].extent);
			expect(b[layer].features.map((f) => f.id), label).toEqual(a[layer].features.map((f) => f.id));
			a[layer].features.forEach((fa, i) => {
				const fb = b[layer].features[i];
				expect(fb.properties, label).toEqual(fa.properties);
				expect(fb.type).toBe(fa.type);
				// Same shape to within a few tile units (1/4096 of a tile) after quantising.
				const [ba, bb] = bboxTolerance.visible ? [fa.visibleBbox, fb.visibleBbox] : [fa.bbox, fb.bbox];
				if (bboxTolerance.visible && (ba === null || bb === null)) expect(bb === null, `${label} ${layer} ${fa.id}`).toBe(ba === null);
				ba?.forEach((v, k) => expect(Math.abs(bb![k] - v), `${label} ${layer} ${fa.id}`).toBeLessThanOrEqual(bboxTolerance.units));
				compared++;
			});
		}
	}
	return compared;
}

describe('filtered plot tiles', () => {
	it('hold at every zoom just the plots the list shows for the same filters', async () => {
		await withVariedPlots(async (db, hood) => {
			const [{ median }] = await queryRows<{ median: number }>(
				db,
				sql`SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY area_m2))::int AS median FROM plots`
			);
			const cases: MapPlotFilters[] = [
				{ ...NO_MAP_FILTERS, neighbourhood: hood, min_m2: median },
				{ ...NO_MAP_FILTERS, kind: 'grasland', max_m2: median },
				{ ...NO_MAP_FILTERS, kind: 'groenvoorziening', state: 'requested' }
			];
			for (const filters of cases) {
				const list = await searchPlots(db, { ...DEFAULT_PLOT_FILTERS, ...filters }, { pageSize: 200 });
				const listed = new Set(list.items.map((i) => i.id));
				expect(list.total, JSON.stringify(filters)).toBeGreaterThan(0);
				expect(listed.size).toBe(list.total);
				// The counts are per neighbourhood (and the demo fits in one tile at these zooms).
				const counted = list.items.filter((i) => i.neighbourhoodName !== null);
				for (const { name, render } of renderers()) {
					const label = `${name} ${JSON.stringify(filters)}`;
					for (const z of [PLOT_POINT_MIN_ZOOM, PLOT_DETAIL_MIN_ZOOM, 17]) {
						const tile = tileForPoint(centre.lng, centre.lat, z);
						const layer = z >= PLOT_DETAIL_MIN_ZOOM ? 'plots' : 'plot_points';
						const bytes = await render(db, TILESETS.plots, tile, filters);
						const ids = bytes ? decodeTile(bytes, tile)[layer].features.map((f) => f.id!) : [];
						// Nothing the list leaves out, and every listed plot that is in the tile.
						expect(ids.filter((id) => !listed.has(id)), `${label} z${z}`).toEqual([]);
						const inTile = await plotIdsInTile(tile, z >= PLOT_DETAIL_MIN_ZOOM ? 'geom' : 'label_point', db);
						expect(ids, `${label} z${z}`).toEqual(expect.arrayContaining(inTile.filter((id) => listed.has(id))));
					}
					for (const z of [PLOT_POINT_MIN_ZOOM - 1, PLOT_POINT_MIN_ZOOM - 2]) {
						const tile = tileForPoint(centre.lng, centre.lat, z);
						const counts = decodeTile((await render(db, TILESETS.plots, tile, filters))!, tile).plot_counts.features;
						const sum = (key: string) => counts.reduce((s, f) => s + Number(f.properties[key]), 0);
						expect(sum('plots'), `${label} z${z}`).toBe(counted.length);
						for (const state of PLOT_STATES) {
							expect(sum(state), `${label} z${z} ${state}`).toBe(counted.filter((i) => i.state === state).length);
						}
						if (filters.neighbourhood !== undefined) expect(counts.map((f) => f.id)).toEqual([hood]);
					}
				}
			}
		});
	});
});

describe('neighbourhood tiles', () => {
	it('carry outlines and label points with names', async () => {
		const tile = tileForPoint(centre.lng, centre.lat, 13);
		for (const { name, render } of renderers()) {
			const layers = decodeTile((await render(getDatabase().db, TILESETS.neighbourhoods, tile))!, tile);
			expect(Object.keys(layers).sort(), name).toEqual(['neighbourhood_labels', 'neighbourhoods']);
			expect(layers.neighbourhoods.features.length).toBeGreaterThan(5);
			for (const f of layers.neighbourhoods.features) {
				expect(f.type).toBe(3);
				expect(typeof f.properties.name).toBe('string');
				expect(f.properties.code).toMatch(/^BU/);
			}
			expect(layers.neighbourhood_labels.features.every((f) => f.type === 1)).toBe(true);
		}
	});
});

describe('basemap tiles', () => {
	const layers = Object.keys(DELFT_BASEMAP).sort();

	/**
	 * Basemap ids per layer whose polygon really is in the tile, straight from SQL: those a
	 * reader can see (1 m² or more, and half a metre wide on average; a pixel is 1.2 m at zoom
	 * 16). Smaller bits of BGT may be left out of a tile.
	 */
	async function basemapIdsInTile(tile: TileCoord): Promise<Record<string, number[]>> {
		const [w, s, e, n] = tileBounds4326(tile);
		const rows = await queryRows<{ layer: string; ids: number[] }>(
			getDatabase().db,
			sql`SELECT layer, array_agg(id ORDER BY id) AS ids FROM basemap_features
				WHERE ST_Intersects(geom, ST_MakeEnvelope(${w}::float8, ${s}::float8, ${e}::float8, ${n}::float8, 4326))
					AND ST_Area(geom::geography) >= 1 AND 2 * ST_Area(geom::geography) >= 0.5 * ST_Perimeter(geom::geography)
				GROUP BY layer`
		);
		return Object.fromEntries(rows.map((r) => [r.layer, r.ids]));
	}

	it.each([16, 17])('at zoom %i hold every building, road, water, terrain, wall and bridge in the tile, with kind and level', async (z) => {
		const tile = tileForPoint(centre.lng, centre.lat, z);
		const expected = await basemapIdsInTile(tile);
		expect(Object.keys(expected).length).toBeGreaterThanOrEqual(4);
		for (const { name, render } of renderers()) {
			const decoded = decodeTile((await render(getDatabase().db, TILESETS.basemap, tile))!, tile);
			for (const layer of Object.keys(decoded)) expect(layers, name).toContain(layer);
			for (const [layer, ids] of Object.entries(expected)) {
				expect(decoded[layer].features.map((f) => f.id), `${name} ${layer}`).toEqual(expect.arrayContaining(ids));
			}
			for (const f of Object.values(decoded).flatMap((l) => l.features)) {
				expect(f.type).toBe(3);
				expect(Object.keys(f.properties).every((k) => k === 'kind' || k === 'level')).toBe(true);
				expect(typeof f.properties.level).toBe('number');
			}
			// Road functions come along, so footpaths can be told from the roadway.
			const roadKinds = new Set(decoded.road?.features.map((f) => f.properties.kind));
			expect([...roadKinds].some((k) => k === 'voetpad'), name).toBe(true);
			expect(decoded.building.features.every((f) => f.properties.kind === undefined)).toBe(true);
		}
	});

	it(`are empty below zoom ${BASEMAP_MIN_ZOOM} and far away from Delft`, async () => {
		for (const { render } of renderers()) {
			expect(await render(getDatabase().db, TILESETS.basemap, tileForPoint(centre.lng, centre.lat, BASEMAP_MIN_ZOOM - 1))).toBeNull();
			expect(await render(getDatabase().db, TILESETS.basemap, tileForPoint(-150, -40, 16))).toBeNull();
			expect(await render(getDatabase().db, TILESETS.basemap, tileForPoint(centre.lng, centre.lat, BASEMAP_MIN_ZOOM))).not.toBeNull();
		}
	});

	it.runIf(Boolean(process.env.DATABASE_URL))('from ST_AsMVT and from JavaScript agree on layers, ids, properties and geometry', async () => {
		const tiles = [14, 15, 16, 17, 18].flatMap((z) => {
			const t = tileForPoint(centre.lng, centre.lat, z);
			return [t, { ...t, x: t.x + 1 }, { ...t, y: t.y - 1 }, { ...t, x: t.x - 1, y: t.y + 1 }];
		});
		// Same layers, ids and properties; shapes within two screen pixels where the reader looks
		// (16 units of 4096 in a 512 px tile): ST_AsMVTGeom simplifies by half a tile unit in Web
		// Mercator, the shared query by about as much in degrees, and the two clip the buffer
		// differently (zero-width slivers along its edge, which nobody sees).
		const compared = await compareRenderers(getDatabase().db, tiles, NO_MAP_FILTERS, TILESETS.basemap, { units: 16, visible: true });
		expect(compared).toBeGreaterThan(400);
	});
});

describe('plot state in SQL', () => {
	it('agrees with the domain rule for every combination, adoptions included', async () => {
		const combos = (['active', 'retired'] as const).flatMap((status) =>
			[true, false].flatMap((adoptable) =>
				[0, 1].flatMap((activeAdoptions) => [0, 1].map((pendingRequests) => ({ status, adoptable, activeAdoptions, pendingRequests })))
			)
		);
		const rollback = new Error('rollback');
		await getDatabase()
			.db.transaction(async (tx) => {
				await tx.execute(sql`INSERT INTO users (id, email) VALUES ('plot-state-test', 'plot-state@test.invalid')`);
				const ids = plots.slice(0, combos.length).map((p) => p.id);
				for (const [i, c] of combos.entries()) {
					await tx.execute(sql`UPDATE plots SET status = ${c.status}, adoptable = ${c.adoptable}, max_adopters = 2 WHERE id = ${ids[i]}`);
					if (c.activeAdoptions) {
						await tx.execute(sql`INSERT INTO adoptions (plot_id, user_id, status) VALUES (${ids[i]}, 'plot-state-test', 'active')`);
					}
					if (c.pendingRequests) {
						await tx.execute(sql`INSERT INTO adoptions (plot_id, team_id, status) VALUES (${ids[i]}, NULL, 'requested')`);
					}
				}
				const rows = await queryRows<{ id: number; state: string }>(
					tx,
					sql`SELECT p.id, ${plotStateSql('p')} AS state FROM plots p WHERE p.id IN ${ids} ORDER BY p.id`
				);
				const byId = new Map(rows.map((r) => [r.id, r.state]));
				expect(ids.map((id) => byId.get(id))).toEqual(combos.map((c) => plotState(c)));
				// The joined form the neighbourhood counts use gives the same states.
				const joined = await queryRows<{ id: number; state: string }>(
					tx,
					sql`SELECT p.id, ${plotStateFromJoinSql('p', 'oa')} AS state FROM plots p ${plotAdoptionsJoinSql('p', 'oa')}
						WHERE p.id IN ${ids} ORDER BY p.id`
				);
				expect(joined).toEqual(rows);
				for (const r of rows) expect(PLOT_STATES).toContain(r.state);
				throw rollback;
			})
			.catch((e) => {
				if (e !== rollback) throw e;
			});
	});
});

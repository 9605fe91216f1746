import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { getDatabase, queryRows } from '../../src/lib/server/db';
import { tileBounds4326, tileForPoint, type TileCoord } from '../../src/lib/geo/tiles';
import { PLOT_DETAIL_MIN_ZOOM, PLOT_POINT_MIN_ZOOM, TILESETS } from '../../src/lib/server/tiles/layers';
import { renderInJavaScript, renderWithPostgis } from '../../src/lib/server/tiles/render';
import { PLOT_STATES, plotState } from '../../src/lib/domain/plot-state';
import { plotStateSql } from '../../src/lib/server/tiles/plot-state-sql';
import { decodeTile, seedDelft, type DecodedFeature } from './tiles-fixtures';

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
async function plotIdsInTile(tile: TileCoord, column: 'geom' | 'label_point' = 'geom'): Promise<number[]> {
	const [w, s, e, n] = tileBounds4326(tile);
	const rows = await queryRows<{ id: number }>(
		getDatabase().db,
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

	it('are empty far away from any plot', async () => {
		const tile = tileForPoint(-150, -40, 16);
		for (const { render } of renderers()) {
			expect(await render(getDatabase().db, TILESETS.plots, tile)).toBeNull();
		}
	});

	it('from ST_AsMVT and from JavaScript agree on layers, ids, properties and geometry', async () => {
		const database = getDatabase();
		const zooms = [12, 13, 14, 15, 16, 17];
		const tiles = zooms.flatMap((z) => {
			const t = tileForPoint(centre.lng, centre.lat, z);
			return [t, { ...t, x: t.x + 1 }, { ...t, y: t.y - 1 }];
		});
		let compared = 0;
		for (const tile of tiles) {
			const js = await renderInJavaScript(database.db, TILESETS.plots, tile);
			if (database.kind !== 'postgres') continue;
			const pg = await renderWithPostgis(database.db, TILESETS.plots, tile);
			expect(pg === null, `empty? ${JSON.stringify(tile)}`).toBe(js === null);
			if (!pg || !js) continue;
			const a = decodeTile(pg, tile);
			const b = decodeTile(js, tile);
			expect(Object.keys(b)).toEqual(Object.keys(a));
			for (const layer of Object.keys(a)) {
				expect(b[layer].extent).toBe(a[layer].extent);
				expect(b[layer].features.map((f) => f.id)).toEqual(a[layer].features.map((f) => f.id));
				a[layer].features.forEach((fa, i) => {
					const fb = b[layer].features[i];
					expect(fb.properties).toEqual(fa.properties);
					expect(fb.type).toBe(fa.type);
					// Same shape to within a few tile units (1/4096 of a tile) after quantising.
					fa.bbox.forEach((v, k) => expect(Math.abs(fb.bbox[k] - v)).toBeLessThanOrEqual(4));
					compared++;
				});
			}
		}
		if (database.kind === 'postgres') expect(compared).toBeGreaterThan(100);
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
				for (const r of rows) expect(PLOT_STATES).toContain(r.state);
				throw rollback;
			})
			.catch((e) => {
				if (e !== rollback) throw e;
			});
	});
});

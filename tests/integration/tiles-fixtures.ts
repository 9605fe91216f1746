import fs from 'node:fs';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '#server/db';

/**
 * Test data for the tile tests: Delft's CBS neighbourhoods and the 126 BGT plots of the demo
 * file, written with plain SQL (the tile tests must not wait for the importer), and a decoder
 * that turns a tile back into what MapLibre would see.
 */
export async function seedDelft(db: Db): Promise<{ plots: number; neighbourhoods: number }> {
	const buurten = fs.readFileSync('db/seed/buurten_delft_cbs2023.geojson', 'utf8');
	const plots = fs.readFileSync('db/seed/bgt_begroeidterreindeel_delft_3dfier.geojson', 'utf8');
	await db.execute(sql`
		INSERT INTO neighbourhoods (source_key, code, name, area_m2, geom, label_point)
		SELECT f->'properties'->>'BU_NAAM', 'BU' || lpad(ord::text, 8, '0'), f->'properties'->>'BU_NAAM',
			ST_Area(g::geography), g, ST_PointOnSurface(g)
		FROM json_array_elements(${buurten}::json->'features') WITH ORDINALITY AS e(f, ord),
			LATERAL (SELECT ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(f->>'geometry'), 4326)) AS g) geo`);
	await db.execute(sql`
		INSERT INTO plots (source_id, dataset, kind, owner, area_m2, geom, label_point, neighbourhood_id)
		SELECT f->'properties'->>'lokaalid', 'test-delft', f->'properties'->>'class',
			f->'properties'->>'bronhouder', ST_Area(rd), g, ST_PointOnSurface(g),
			(SELECT n.id FROM neighbourhoods n WHERE ST_Intersects(n.geom, ST_PointOnSurface(g))
				ORDER BY n.id LIMIT 1)
		FROM json_array_elements(${plots}::json->'features') AS e(f),
			LATERAL (SELECT ST_SetSRID(ST_GeomFromGeoJSON(f->>'geometry'), 28992) AS rd) r,
			LATERAL (SELECT ST_Multi(ST_Transform(rd, 4326)) AS g) geo`);
	const [counts] = await queryRows<{ plots: number; neighbourhoods: number }>(
		db,
		sql`SELECT (SELECT count(*)::int FROM plots) AS plots,
			(SELECT count(*)::int FROM neighbourhoods) AS neighbourhoods`
	);
	return counts;
}

/** The demo's BGT basemap files and the layer each fills (as the importer names them). */
export const DELFT_BASEMAP = {
	building: 'db/seed/bgt_pand_delft_3dfier.geojson',
	road: 'db/seed/bgt_wegdeel_delft_3dfier.geojson',
	water: 'db/seed/bgt_waterdeel_delft_3dfier.geojson',
	terrain: 'db/seed/bgt_onbegroeidterreindeel_delft_3dfier.geojson',
	wall: 'db/seed/bgt_scheiding_delft_3dfier.geojson',
	bridge: 'db/seed/bgt_overbruggingsdeel_delft_3dfier.geojson'
} as const;

/** The Delft basemap with plain SQL, kinds as the importer takes them (road function, wall type, class). */
export async function seedDelftBasemap(db: Db): Promise<number> {
	for (const [layer, file] of Object.entries(DELFT_BASEMAP)) {
		const json = fs.readFileSync(file, 'utf8');
		await db.execute(sql`
			INSERT INTO basemap_features (layer, kind, source_id, dataset, level, geom)
			SELECT ${layer}, nullif(coalesce(f->'properties'->>'function', f->'properties'->>'bgt_type', f->'properties'->>'class'), 'waardeOnbekend'),
				f->'properties'->>'lokaalid', 'test-' || ${layer}, coalesce((f->'properties'->>'relatievehoogteligging')::int, 0),
				ST_ForcePolygonCCW(ST_Multi(ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(f->>'geometry'), 28992), 4326)))
			FROM json_array_elements(${json}::json->'features') AS e(f)`);
	}
	const [row] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM basemap_features`);
	return row.n;
}

export interface DecodedFeature {
	id: number | undefined;
	type: number;
	properties: Record<string, number | string | boolean>;
	/** Bounding box in tile units (0..4096; the buffer beyond). */
	bbox: [number, number, number, number];
	/** Bounding box of the points inside the tile itself (what a reader sees), or null. */
	visibleBbox: [number, number, number, number] | null;
	/** The feature back in longitude/latitude. */
	geojson: GeoJSON.Feature;
}

export function decodeTile(
	bytes: Uint8Array,
	tile: { z: number; x: number; y: number }
): Record<string, { extent: number; features: DecodedFeature[] }> {
	const vt = new VectorTile(new PbfReader(bytes));
	const out: Record<string, { extent: number; features: DecodedFeature[] }> = {};
	for (const [name, layer] of Object.entries(vt.layers)) {
		const features: DecodedFeature[] = [];
		for (let i = 0; i < layer.length; i++) {
			const f = layer.feature(i);
			const points = f.loadGeometry().flat();
			const xs = points.map((p) => p.x);
			const ys = points.map((p) => p.y);
			// A few units of slack: rounding puts a vertex on the edge at -1 or 0.
			const inside = points.filter((p) => p.x >= -4 && p.y >= -4 && p.x <= layer.extent + 4 && p.y <= layer.extent + 4);
			const ixs = inside.map((p) => p.x);
			const iys = inside.map((p) => p.y);
			features.push({
				id: f.id,
				type: f.type,
				properties: f.properties,
				bbox: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)],
				visibleBbox: inside.length ? [Math.min(...ixs), Math.min(...iys), Math.max(...ixs), Math.max(...iys)] : null,
				geojson: f.toGeoJSON(tile.x, tile.y, tile.z)
			});
		}
		out[name] = { extent: layer.extent, features: features.sort((a, b) => (a.id ?? 0) - (b.id ?? 0)) };
	}
	return out;
}

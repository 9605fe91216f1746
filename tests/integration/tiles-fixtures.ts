import fs from 'node:fs';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../src/lib/server/db';

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

export interface DecodedFeature {
	id: number | undefined;
	type: number;
	properties: Record<string, number | string | boolean>;
	/** Bounding box in tile units (0..4096). */
	bbox: [number, number, number, number];
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
			features.push({
				id: f.id,
				type: f.type,
				properties: f.properties,
				bbox: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)],
				geojson: f.toGeoJSON(tile.x, tile.y, tile.z)
			});
		}
		out[name] = { extent: layer.extent, features: features.sort((a, b) => (a.id ?? 0) - (b.id ?? 0)) };
	}
	return out;
}

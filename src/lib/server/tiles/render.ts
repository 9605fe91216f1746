import { geoJSONToTile, type GeoJSONVTFeature, type GeoJSONVTTile } from '@maplibre/geojson-vt';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { NO_MAP_FILTERS, type MapPlotFilters } from '#lib/domain/plot-filters.js';
import { localDay } from '#lib/domain/activity.js';
import { tilePixelDegrees, type TileCoord } from '#lib/geo/tiles.js';
import { queryRows, type Db } from '#server/db';
import { bufferedEnvelope, tilePlotFilterSql, TILE_BUFFER, TILE_EXTENT, type TileLayer, type Tileset } from './layers';

/**
 * Two ways to turn a tile set's feature queries into a Mapbox Vector Tile. Both return the
 * encoded tile, or null when no layer has a feature (the endpoint answers 204 then). Both
 * take the map's filters (none by default), which only the plot layers use.
 */

function propertyColumns(layer: TileLayer): SQL {
	return sql.raw(layer.properties.map((p) => `f.${p}`).join(', '));
}

/** PostGIS: the whole tile in one query, every layer through ST_AsMVT, concatenated. */
export function postgisTileQuery(tileset: Tileset, tile: TileCoord, filters: MapPlotFilters = NO_MAP_FILTERS, today = localDay(new Date())): SQL {
	const envelope = bufferedEnvelope(tile);
	const plotFilter = tilePlotFilterSql(filters);
	const tileEnvelope = sql`ST_TileEnvelope(${tile.z}::int, ${tile.x}::int, ${tile.y}::int)`;
	const layers = tileset.layers(tile.z).map(
		(layer) => sql`coalesce((
			SELECT ST_AsMVT(t, ${layer.name}::text, ${TILE_EXTENT}::int, 'geom', 'id')
			FROM (
				SELECT f.id, ${propertyColumns(layer)},
					ST_AsMVTGeom(ST_Transform(f.geom, 3857), ${tileEnvelope},
						${TILE_EXTENT}::int, ${TILE_BUFFER}::int, true) AS geom
				FROM (${layer.features(tile, envelope, plotFilter, today)}) f
			) t
			WHERE t.geom IS NOT NULL
		), ''::bytea)`
	);
	return sql`SELECT ${sql.join(layers, sql` || `)} AS tile`;
}

/** One tile of a tile set as MVT bytes, or null when the tile is empty. Both renderers give the same tiles. */
type TileRenderer = (db: Db, tileset: Tileset, tile: TileCoord, filters?: MapPlotFilters, today?: string) => Promise<Uint8Array | null>;

const dialect = new PgDialect();

/** On `pg.Pool` too (the tile service on PostgreSQL): see tileOnPool. */
export const renderWithPostgis = async (
	db: Db | pg.Pool,
	tileset: Tileset,
	tile: TileCoord,
	filters: MapPlotFilters = NO_MAP_FILTERS,
	today?: string
): Promise<Uint8Array | null> => {
	// A tile set may have no layers at some zooms (the basemap below BASEMAP_MIN_ZOOM).
	if (tileset.layers(tile.z).length === 0) return null;
	const query = postgisTileQuery(tileset, tile, filters, today);
	const withoutJit = tileset.layers(tile.z).some((layer) => layer.jit?.(tile.z) === false);
	const bytes = db instanceof pg.Pool ? await tileOnPool(db, query, withoutJit) : await tileThroughDrizzle(db, query, withoutJit);
	return bytes.length > 0 ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length) : null;
};

/**
 * On PostgreSQL the query goes to the pool as it is: drizzle's execute costed about 0.15 ms
 * a tile (its own result handling around the driver's), a few percent of a 5 ms z17 tile.
 * With JIT off, SET LOCAL lasts until the transaction ends: this query only, not the pooled
 * connection.
 */
async function tileOnPool(pool: pg.Pool, query: SQL, withoutJit: boolean): Promise<Uint8Array> {
	const { sql: text, params } = dialect.sqlToQuery(query);
	if (!withoutJit) return (await pool.query<{ tile: Uint8Array }>(text, params)).rows[0].tile;
	const client = await pool.connect();
	let broken: Error | undefined;
	try {
		await client.query('BEGIN');
		await client.query('SET LOCAL jit = off');
		const { rows } = await client.query<{ tile: Uint8Array }>(text, params);
		await client.query('COMMIT');
		return rows[0].tile;
	} catch (e) {
		// A connection that cannot even roll back is dropped from the pool, not reused.
		await client.query('ROLLBACK').catch((rollback: Error) => (broken = rollback));
		throw e;
	} finally {
		client.release(broken);
	}
}

async function tileThroughDrizzle(db: Db, query: SQL, withoutJit: boolean): Promise<Uint8Array> {
	const [row] = withoutJit
		? await db.transaction(async (tx) => {
				await tx.execute(sql`SET LOCAL jit = off`);
				return queryRows<{ tile: Uint8Array }>(tx, query);
			})
		: await queryRows<{ tile: Uint8Array }>(db, query);
	return row.tile;
}

/**
 * The same features as GeoJSON, already clipped to the buffered tile in SQL (and large
 * polygons simplified to about a pixel), so JavaScript only parses what the tile shows.
 */
export function geojsonLayerQuery(layer: TileLayer, tile: TileCoord, filters: MapPlotFilters = NO_MAP_FILTERS, today = localDay(new Date())): SQL {
	const envelope = bufferedEnvelope(tile);
	let geom = sql`f.geom`;
	if (layer.geometry === 'polygon') {
		geom = sql`CASE WHEN f.geom @ ${envelope} THEN f.geom ELSE ST_ClipByBox2D(f.geom, ${envelope}) END`;
		if (layer.simplify) geom = sql`ST_Simplify(${geom}, ${tilePixelDegrees(tile.z, TILE_EXTENT)}::float8, true)`;
	}
	return sql`
		SELECT f.id, ${propertyColumns(layer)}, ST_AsGeoJSON(${geom}, 7) AS geometry
		FROM (${layer.features(tile, envelope, tilePlotFilterSql(filters), today)}) f`;
}

type FeatureRow = Record<string, unknown> & { id: number; geometry: string | null };

function toFeature(layer: TileLayer, row: FeatureRow): GeoJSON.Feature | null {
	if (!row.geometry) return null;
	const geometry = JSON.parse(row.geometry) as GeoJSON.Geometry;
	if (geometry.type === 'GeometryCollection') return null;
	const properties: Record<string, unknown> = {};
	// ST_AsMVT leaves out null properties; so do we, so both tiles decode the same.
	for (const name of layer.properties) if (row[name] != null) properties[name] = row[name];
	return { type: 'Feature', id: Number(row.id), properties, geometry };
}

/** Twice the area of a ring in tile units (shoelace); 0 when it collapsed onto a line or point. */
function ringArea2(ring: [number, number][]): number {
	let sum = 0;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) sum += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
	return Math.abs(sum);
}

/**
 * ST_AsMVTGeom drops polygon rings that snapping to the tile grid flattens to nothing or to
 * half a square tile unit (a sliver of a large road that pokes into the tile's buffer, 1/128
 * of a screen pixel); geojson-vt keeps them. Dropped here too, so both renderers give the
 * same features (they draw nothing anyway).
 */
function withoutCollapsedRings(features: GeoJSONVTFeature[]): GeoJSONVTFeature[] {
	return features.flatMap((f) => {
		if (f.type !== 3) return [f];
		const rings = f.geometry.filter((r) => ringArea2(r) > 1);
		return rings.length > 0 ? [{ ...f, geometry: rings }] : [];
	});
}

export const renderInJavaScript: TileRenderer = async (db, tileset, tile, filters = NO_MAP_FILTERS, today) => {
	const layers: Record<string, GeoJSONVTTile> = {};
	for (const layer of tileset.layers(tile.z)) {
		const rows = await queryRows<FeatureRow>(db, geojsonLayerQuery(layer, tile, filters, today));
		const features = rows.map((r) => toFeature(layer, r)).filter((f) => f !== null);
		if (features.length === 0) continue;
		const vt = geoJSONToTile({ type: 'FeatureCollection', features }, tile.z, tile.x, tile.y, {
			extent: TILE_EXTENT,
			buffer: TILE_BUFFER,
			clip: true,
			wrap: false,
			// maxZoom = z turns off geojson-vt's own simplification and its dropping of small
			// polygons, which ST_AsMVTGeom does not do either: both paths keep the same plots.
			maxZoom: tile.z
		});
		// The tile is already transformed to tile units, so its features are the public shape.
		vt.features = withoutCollapsedRings(vt.features) as GeoJSONVTTile['features'];
		if (vt.features.length > 0) layers[layer.name] = vt;
	}
	if (Object.keys(layers).length === 0) return null;
	return fromGeojsonVt(layers, { version: 2, extent: TILE_EXTENT });
};

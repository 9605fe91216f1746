import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '#server/db';

/**
 * GeoJSON for the first, simple map: the whole (small) demo municipality in one response.
 * The database builds the JSON text itself, so the app never parses and re-serialises
 * thousands of geometries. Vector tiles (/tiles/...) replace this for large data sets; until
 * then a cap keeps a response bounded.
 */

export const MAX_GEOJSON_PLOTS = 20_000;

/** Six decimals of a degree is about 10 cm here: plenty for drawing, a third smaller than 9. */
const PRECISION = 6;

export interface GeoJsonText {
	/** A FeatureCollection, serialised. */
	body: string;
	/** Changes whenever the underlying table changes (data_versions), for ETag / 304. */
	version: string;
}

/**
 * Active plots as polygons. Feature ids are the integer plot ids (MapLibre feature-state
 * needs integers); properties carry only what the public may see.
 */
export async function plotsGeoJson(db: Db, limit = MAX_GEOJSON_PLOTS): Promise<GeoJsonText> {
	return featureCollection(
		db,
		versionExpr('plots'),
		sql`
				SELECT p.id, json_build_object(
					'type', 'Feature',
					'id', p.id,
					'geometry', ST_AsGeoJSON(p.geom, ${PRECISION})::json,
					'properties', json_build_object(
						'id', p.id,
						'kind', p.kind,
						'kindDetail', p.kind_detail,
						'adoptable', p.adoptable,
						'areaM2', round(p.area_m2::numeric, 1)
					)
				) AS feature
				FROM plots p
				WHERE p.status = 'active'
				ORDER BY p.id
				LIMIT ${limit}`
	);
}

/**
 * Neighbourhood outlines with their plot counts. Simplified to about half a metre, which is
 * invisible at the zooms an overview is drawn at and keeps the response small.
 */
export async function neighbourhoodsGeoJson(db: Db): Promise<GeoJsonText> {
	return featureCollection(
		db,
		sql`${versionExpr('neighbourhoods')} || '-' || ${versionExpr('plots')}`,
		sql`
				SELECT n.id, json_build_object(
					'type', 'Feature',
					'id', n.id,
					'geometry', ST_AsGeoJSON(ST_SimplifyPreserveTopology(n.geom, 0.000005), ${PRECISION})::json,
					'properties', json_build_object(
						'id', n.id,
						'name', n.name,
						'code', n.code,
						'plotCount', (
							SELECT count(*)::int FROM plots p
							WHERE p.neighbourhood_id = n.id AND p.status = 'active'
						)
					)
				) AS feature
				FROM neighbourhoods n`
	);
}

/**
 * One FeatureCollection, serialised by the database, of the rows `features` selects (`id`
 * and `feature`, a GeoJSON Feature as json), in id order, with the data version.
 */
async function featureCollection(db: Db, version: SQL, features: SQL): Promise<GeoJsonText> {
	const [row] = await queryRows<GeoJsonText>(
		db,
		sql`
			SELECT
				json_build_object(
					'type', 'FeatureCollection',
					'features', coalesce(json_agg(f.feature ORDER BY f.id), '[]'::json)
				)::text AS body,
				(SELECT ${version}) AS version
			FROM (${features}) f`
	);
	return row;
}

/**
 * A data set's version as text. The change time is part of it because a fresh database
 * starts counting at 0 again, and a browser must not mistake its cached copy for current.
 */
function versionExpr(name: 'plots' | 'neighbourhoods') {
	return sql`coalesce((
		SELECT version::text || '.' || floor(extract(epoch FROM changed_at) * 1000)::bigint::text
		FROM data_versions WHERE name = ${name}
	), '0')`;
}

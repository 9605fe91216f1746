import { sql, type SQL } from 'drizzle-orm';
import type { KeysetPage } from '#lib/domain/paging.js';
import { dataVersionSql, queryRows, type Db } from '#server/db';

/**
 * GeoJSON downloads of the plots and the neighbourhoods. The database builds the JSON text
 * itself, so the app never parses and re-serialises thousands of geometries. The map draws
 * vector tiles (/tiles/...); these are for programs that want the features themselves.
 *
 * The plots come in pages (KEYSET_PAGE_SIZE, ordered by id, `?after=`), never cut off
 * silently: each page says how many it holds and where the next one is.
 * Each download's version (data_versions) can be read alone, in one indexed row, so an
 * unchanged download is answered 304 before any feature is built.
 */

/** Six decimals of a degree is about 10 cm here: plenty for drawing, a third smaller than 9. */
const PRECISION = 6;

export interface GeoJsonText {
	/** A FeatureCollection, serialised. */
	body: string;
	/** Changes whenever the underlying table changes (data_versions), for ETag / 304. */
	version: string;
}

export interface PlotsGeoJsonPage {
	/** The page's features: a JSON array, serialised. */
	features: string;
	/** The version the features were read at. */
	version: string;
	numberReturned: number;
	/** Every active plot, on all pages. */
	numberMatched: number;
	/** `after` of the next page; null on the last page. */
	nextAfter: number | null;
}

const PLOTS_VERSION = dataVersionSql('plots');
const NEIGHBOURHOODS_VERSION = sql`${dataVersionSql('neighbourhoods')} || '-' || ${dataVersionSql('plots')}`;

/** The plots download's data version alone: what its ETag is made of. */
export async function plotsGeoJsonVersion(db: Db): Promise<string> {
	return readVersion(db, PLOTS_VERSION);
}

/** The neighbourhoods download's data version alone (their plot counts change with the plots). */
export async function neighbourhoodsGeoJsonVersion(db: Db): Promise<string> {
	return readVersion(db, NEIGHBOURHOODS_VERSION);
}

async function readVersion(db: Db, version: SQL): Promise<string> {
	const [row] = await queryRows<{ version: string }>(db, sql`SELECT ${version} AS version`);
	return row.version;
}

/**
 * One page of active plots as polygons, ids above `page.after`, in id order. Feature ids are
 * the integer plot ids (MapLibre feature-state needs integers); properties carry only what
 * the public may see. One row more than the page is read, to know whether another follows.
 */
export async function plotsGeoJsonPage(db: Db, page: KeysetPage): Promise<PlotsGeoJsonPage> {
	const [row] = await queryRows<{
		features: string;
		version: string;
		returned: number;
		matched: number;
		last_id: number | null;
		more: boolean;
	}>(
		db,
		sql`
			SELECT
				coalesce(json_agg(f.feature ORDER BY f.id) FILTER (WHERE f.n <= ${page.limit}), '[]'::json)::text AS features,
				count(*) FILTER (WHERE f.n <= ${page.limit})::int AS returned,
				max(f.id) FILTER (WHERE f.n <= ${page.limit}) AS last_id,
				count(*) > ${page.limit} AS more,
				(SELECT count(*)::int FROM plots WHERE status = 'active') AS matched,
				(SELECT ${PLOTS_VERSION}) AS version
			FROM (
				SELECT row_number() OVER (ORDER BY p.id) AS n, p.id, json_build_object(
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
				WHERE p.status = 'active' AND p.id > ${page.after}
				ORDER BY p.id
				LIMIT ${page.limit + 1}
			) f`
	);
	return {
		features: row.features,
		version: row.version,
		numberReturned: row.returned,
		numberMatched: row.matched,
		nextAfter: row.more && row.last_id !== null ? Number(row.last_id) : null
	};
}

/**
 * Neighbourhood outlines with their plot counts. Simplified to about half a metre, which is
 * invisible at the zooms an overview is drawn at and keeps the response small.
 */
export async function neighbourhoodsGeoJson(db: Db): Promise<GeoJsonText> {
	return featureCollection(
		db,
		NEIGHBOURHOODS_VERSION,
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

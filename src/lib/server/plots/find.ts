import { sql } from 'drizzle-orm';
import { queryRows, type Db, escapeLike } from '#server/db';
import { plotSearchSql, searchedNeighbourhoodIds } from './filters-sql';

/**
 * Quick find for the map's search box: neighbourhoods by name (to fly to) and plots by
 * reference or place (to open). The list's `q` filter searches the same way in full.
 */

export interface FoundNeighbourhood {
	id: number;
	name: string;
	districtName: string | null;
	plotCount: number;
	/** [west, south, east, north] in degrees. */
	bounds: [number, number, number, number];
}

export interface FoundPlot {
	id: number;
	kind: string;
	kindDetail: string | null;
	neighbourhoodName: string | null;
	/** [longitude, latitude] inside the plot. */
	center: [number, number];
}

export interface FindResult {
	neighbourhoods: FoundNeighbourhood[];
	plots: FoundPlot[];
}

export const FIND_LIMIT = 8;

export async function findPlaces(db: Db, q: string, limit = FIND_LIMIT): Promise<FindResult> {
	const text = q.trim();
	if (text === '') return { neighbourhoods: [], plots: [] };
	const pattern = `%${escapeLike(text)}%`;
	const prefix = `${escapeLike(text)}%`;
	// Names that start with the text come before names that merely contain it.
	const neighbourhoods = await queryRows<{
		id: number;
		name: string;
		district_name: string | null;
		plot_count: number;
		west: number;
		south: number;
		east: number;
		north: number;
	}>(
		db,
		sql`
			SELECT n.id, n.name, n.district_name,
				(SELECT count(*)::int FROM plots p WHERE p.neighbourhood_id = n.id AND p.status = 'active') AS plot_count,
				ST_XMin(n.geom)::float8 AS west, ST_YMin(n.geom)::float8 AS south,
				ST_XMax(n.geom)::float8 AS east, ST_YMax(n.geom)::float8 AS north
			FROM neighbourhoods n
			WHERE n.name ILIKE ${pattern} OR n.district_name ILIKE ${pattern}
			ORDER BY (n.name ILIKE ${prefix}) DESC, lower(n.name), n.id
			LIMIT ${limit}`
	);
	const plots = await queryRows<{
		id: number;
		kind: string;
		kind_detail: string | null;
		neighbourhood_name: string | null;
		lng: number;
		lat: number;
	}>(
		db,
		sql`
			SELECT p.id, p.kind, p.kind_detail, n.name AS neighbourhood_name,
				ST_X(p.label_point)::float8 AS lng, ST_Y(p.label_point)::float8 AS lat
			FROM plots p
			LEFT JOIN neighbourhoods n ON n.id = p.neighbourhood_id
			WHERE p.status = 'active' AND ${plotSearchSql(text, await searchedNeighbourhoodIds(db, text))}
			ORDER BY p.id
			LIMIT ${limit}`
	);
	return {
		neighbourhoods: neighbourhoods.map((n) => ({
			id: n.id,
			name: n.name,
			districtName: n.district_name,
			plotCount: n.plot_count,
			bounds: [n.west, n.south, n.east, n.north]
		})),
		plots: plots.map((p) => ({
			id: p.id,
			kind: p.kind,
			kindDetail: p.kind_detail,
			neighbourhoodName: p.neighbourhood_name,
			center: [p.lng, p.lat]
		}))
	};
}

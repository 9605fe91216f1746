import { sql, type SQL } from 'drizzle-orm';
import { plotNumberFromQuery, type PlotFilters } from '#lib/domain/plot-filters.js';
import { escapeLike, queryRows, sqlLiteral, type Db } from '#server/db';
import { plotStateSql } from './state-sql';

export interface PlotFilterSqlOptions {
	/**
	 * The plot's state as SQL; a count over many plots passes the joined form
	 * (plotStateFromJoinSql, with plotAdoptionsJoinSql in its FROM), which is the same rule.
	 */
	state?: SQL;
	/**
	 * The neighbourhoods the search text names, already looked up (searchedNeighbourhoodIds):
	 * as constants the planner knows how few plots a search finds, and reads them through the
	 * indexes instead of walking the plots in list order hoping to meet some.
	 */
	searchedNeighbourhoods?: readonly number[];
}

/**
 * The URL filters (src/lib/domain/plot-filters.ts) as one SQL condition over a `plots` row
 * aliased `p`. It needs no join, so the list, the map's data and counts can all use it.
 * Retired plots are never part of a filtered set: they have left the map and the list.
 */
export function plotFilterSql(filters: PlotFilters, options: PlotFilterSqlOptions = {}): SQL {
	const conditions: SQL[] = [sql`p.status = 'active'`];
	if (filters.neighbourhood !== undefined) conditions.push(sql`p.neighbourhood_id = ${filters.neighbourhood}`);
	if (filters.state !== undefined) conditions.push(sql`${options.state ?? plotStateSql('p')} = ${filters.state}`);
	if (filters.kind !== undefined) conditions.push(sql`p.kind = ${filters.kind}`);
	if (filters.min_m2 !== undefined) conditions.push(sql`p.area_m2 >= ${filters.min_m2}`);
	if (filters.max_m2 !== undefined) conditions.push(sql`p.area_m2 <= ${filters.max_m2}`);
	if (filters.q !== undefined) conditions.push(plotSearchSql(filters.q, options.searchedNeighbourhoods));
	return sql.join(conditions, sql` AND `);
}

/**
 * Source attributes that hold place names, when a data set carries them (BGT plots do not;
 * municipal green registers often have a street or a site name). Searched as written.
 */
export const PLACE_NAME_ATTRIBUTES = [
	'straatnaam',
	'openbareruimtenaam',
	'openbareRuimteNaam',
	'straat',
	'street',
	'locatie',
	'woonplaats',
	'plaatsnaam'
] as const;

/**
 * The place-name attributes as one text, one line each, for the trigram index over it
 * (plots_place_names_trgm_idx, migration 0011, which spells out this same expression: the
 * planner uses the index only for an identical one). Keys are literals for the same reason.
 */
export function placeNamesSql(alias = 'p'): SQL {
	if (!/^[a-z_][a-z0-9_]*$/.test(alias)) throw new Error(`not a table alias: ${alias}`);
	const lines = PLACE_NAME_ATTRIBUTES.map((key) => sql`coalesce(${sql.raw(alias)}.attributes->>${sqlLiteral(key)}, '')`);
	return sql`(${sql.join(lines, sql.raw(" || E'\\n' || "))})`;
}

/**
 * A search: a plot number ("12", "Perk 12") finds that plot, or a plot whose source id is
 * exactly that text; anything else is looked for in neighbourhood and district names, place
 * names in the source attributes and source ids.
 *
 * Written so that each alternative can use an index (a bitmap OR), not test every plot: the
 * matching neighbourhoods' plots (plots_active_neighbourhood_idx; best with their ids looked
 * up first, see PlotFilterSqlOptions), the source id and the place names through trigram
 * indexes (migration 0011). The place names are matched as one
 * text first (indexed) and then per attribute, so a match can never span two attributes.
 */
export function plotSearchSql(q: string, searchedNeighbourhoods?: readonly number[]): SQL {
	const number = plotNumberFromQuery(q);
	if (number !== null) return sql`(p.id = ${number} OR lower(p.source_id) = lower(${q.trim()}))`;
	const pattern = `%${escapeLike(q)}%`;
	const places = PLACE_NAME_ATTRIBUTES.map((key) => sql`p.attributes->>${key} ILIKE ${pattern}`);
	const inNeighbourhoods =
		searchedNeighbourhoods === undefined
			? sql`p.neighbourhood_id = ANY (ARRAY(${neighbourhoodsNamedSql(pattern)}))`
			: searchedNeighbourhoods.length === 0
				? sql`false`
				: sql`p.neighbourhood_id IN (${sql.join(
						searchedNeighbourhoods.map((id) => sql`${id}`),
						sql`, `
					)})`;
	return sql`(
		${inNeighbourhoods}
		OR p.source_id ILIKE ${pattern}
		OR (${placeNamesSql('p')} ILIKE ${pattern} AND (${sql.join(places, sql` OR `)}))
	)`;
}

function neighbourhoodsNamedSql(pattern: string): SQL {
	return sql`SELECT sn.id FROM neighbourhoods sn WHERE sn.name ILIKE ${pattern} OR sn.district_name ILIKE ${pattern}`;
}

/** The neighbourhoods a search text names (in name or district), for plotFilterSql's option. */
export async function searchedNeighbourhoodIds(db: Db, q: string): Promise<number[]> {
	if (plotNumberFromQuery(q) !== null) return [];
	const rows = await queryRows<{ id: number }>(db, neighbourhoodsNamedSql(`%${escapeLike(q)}%`));
	return rows.map((r) => r.id);
}

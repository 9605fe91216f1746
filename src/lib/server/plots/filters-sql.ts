import { sql, type SQL } from 'drizzle-orm';
import { plotNumberFromQuery, type PlotFilters } from '#lib/domain/plot-filters.js';
import { escapeLike, sqlLiteral } from '#server/db';
import { plotStateSql } from './state-sql';

/**
 * The URL filters (src/lib/domain/plot-filters.ts) as one SQL condition over a `plots` row
 * aliased `p`. It needs no join, so the list, the map's data and counts can all use it.
 * Retired plots are never part of a filtered set: they have left the map and the list.
 * `state`: the plot's state as SQL; a count over many plots passes the joined form
 * (plotStateFromJoinSql, with plotAdoptionsJoinSql in its FROM), which is the same rule.
 */
export function plotFilterSql(filters: PlotFilters, state: SQL = plotStateSql('p')): SQL {
	const conditions: SQL[] = [sql`p.status = 'active'`];
	if (filters.neighbourhood !== undefined) conditions.push(sql`p.neighbourhood_id = ${filters.neighbourhood}`);
	if (filters.state !== undefined) conditions.push(sql`${state} = ${filters.state}`);
	if (filters.kind !== undefined) conditions.push(sql`p.kind = ${filters.kind}`);
	if (filters.min_m2 !== undefined) conditions.push(sql`p.area_m2 >= ${filters.min_m2}`);
	if (filters.max_m2 !== undefined) conditions.push(sql`p.area_m2 <= ${filters.max_m2}`);
	if (filters.q !== undefined) conditions.push(plotSearchSql(filters.q));
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
 * matching neighbourhoods' ids as an array (plots_neighbourhood_idx), the source id and the
 * place names through trigram indexes (migration 0011). The place names are matched as one
 * text first (indexed) and then per attribute, so a match can never span two attributes.
 */
export function plotSearchSql(q: string): SQL {
	const number = plotNumberFromQuery(q);
	if (number !== null) return sql`(p.id = ${number} OR lower(p.source_id) = lower(${q.trim()}))`;
	const pattern = `%${escapeLike(q)}%`;
	const places = PLACE_NAME_ATTRIBUTES.map((key) => sql`p.attributes->>${key} ILIKE ${pattern}`);
	return sql`(
		p.neighbourhood_id = ANY (ARRAY(
			SELECT sn.id FROM neighbourhoods sn WHERE sn.name ILIKE ${pattern} OR sn.district_name ILIKE ${pattern}
		))
		OR p.source_id ILIKE ${pattern}
		OR (${placeNamesSql('p')} ILIKE ${pattern} AND (${sql.join(places, sql` OR `)}))
	)`;
}

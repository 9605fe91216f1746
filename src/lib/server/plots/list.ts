import { sql, type SQL } from 'drizzle-orm';
import { pageOf, pageWindow } from '#lib/domain/paging.js';
import type { PlotListItem, PlotPage } from '#lib/domain/plot-detail.js';
import type { PlotFilters, PlotSort } from '#lib/domain/plot-filters.js';
import { escapeLike, queryRows, type Db } from '#server/db';
import { plotStateSql } from './state-sql';
import { plotFilterSql } from './filters-sql';

/**
 * The public list of plots: filtered, sorted and paged by the URL filters. Only active plots;
 * only what the public may see.
 */

export type { PlotListItem, PlotPage };

export const DEFAULT_PAGE_SIZE = 25;
const MAX_PAGE_SIZE = 200;

// Every order ends in the plot id, so a plot never moves between pages when values tie.
const ORDER: Record<PlotSort, SQL> = {
	neighbourhood: sql`lower(n.name) NULLS LAST, n.name, p.id`,
	number: sql`p.id`,
	area_desc: sql`p.area_m2 DESC, p.id`,
	area_asc: sql`p.area_m2 ASC, p.id`
};

export async function searchPlots(
	db: Db,
	filters: PlotFilters,
	options: { pageSize?: number } = {}
): Promise<PlotPage> {
	const pageSize = Math.max(1, Math.min(options.pageSize ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE));
	const where = plotFilterSql(filters);
	const [{ total }] = await queryRows<{ total: number }>(
		db,
		sql`SELECT count(*)::int AS total FROM plots p WHERE ${where}`
	);
	const window = pageWindow(filters.page, total, pageSize);
	const items = await queryRows<PlotListItem>(
		db,
		sql`
			SELECT p.id, p.kind, p.kind_detail AS "kindDetail", p.area_m2::float8 AS "areaM2", ${plotStateSql('p')} AS state,
				n.name AS "neighbourhoodName"
			FROM plots p
			LEFT JOIN neighbourhoods n ON n.id = p.neighbourhood_id
			WHERE ${where}
			ORDER BY ${ORDER[filters.sort]}
			LIMIT ${window.pageSize} OFFSET ${window.offset}`
	);
	return {
		items,
		total,
		...pageOf(window)
	};
}

export interface PlotFilterOptions {
	/** Neighbourhoods that have active plots, by name. */
	neighbourhoods: { id: number; name: string; plotCount: number }[];
	/** Kinds of active plots, most common first. */
	kinds: { kind: string; plotCount: number }[];
	/** A plot number that exists, for the search field's example ("bijvoorbeeld … of Perk 12"). */
	examplePlotId: number | null;
}

/** What the filter form offers: only choices that can find something. */
export async function plotFilterOptions(db: Db): Promise<PlotFilterOptions> {
	const neighbourhoods = await queryRows<{ id: number; name: string; plot_count: number }>(
		db,
		sql`
			SELECT n.id, n.name, count(*)::int AS plot_count
			FROM plots p JOIN neighbourhoods n ON n.id = p.neighbourhood_id
			WHERE p.status = 'active'
			GROUP BY n.id
			ORDER BY lower(n.name), n.name, n.id`
	);
	const kinds = await queryRows<{ kind: string; plot_count: number }>(
		db,
		sql`
			SELECT kind, count(*)::int AS plot_count FROM plots
			WHERE status = 'active'
			GROUP BY kind
			ORDER BY plot_count DESC, kind`
	);
	const [example] = await queryRows<{ id: number | null }>(db, sql`SELECT min(id)::int AS id FROM plots WHERE status = 'active'`);
	return {
		neighbourhoods: neighbourhoods.map((n) => ({ id: n.id, name: n.name, plotCount: n.plot_count })),
		kinds: kinds.map((k) => ({ kind: k.kind, plotCount: k.plot_count })),
		examplePlotId: example?.id ?? null
	};
}

/**
 * Neighbourhoods whose name the search text is part of but that have no plots (yet): a search
 * for "Wippolder" then says "Wippolder heeft nog geen perken" instead of only "none found".
 */
export async function neighbourhoodsWithoutPlots(db: Db, q: string, limit = 3): Promise<string[]> {
	const text = q.trim();
	if (text === '') return [];
	const rows = await queryRows<{ name: string }>(
		db,
		sql`SELECT n.name FROM neighbourhoods n
			WHERE n.name ILIKE ${`%${escapeLike(text)}%`}
				AND NOT EXISTS (SELECT 1 FROM plots p WHERE p.neighbourhood_id = n.id AND p.status = 'active')
			ORDER BY lower(n.name), n.id LIMIT ${limit}`
	);
	return rows.map((r) => r.name);
}

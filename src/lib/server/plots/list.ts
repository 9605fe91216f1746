import { sql, type SQL } from 'drizzle-orm';
import { pageOf, pageWindow } from '#lib/domain/paging.js';
import type { PlotListItem, PlotPage } from '#lib/domain/plot-detail.js';
import { DEFAULT_PLOT_SORT, plotFiltersQuery, type PlotFilters, type PlotSort } from '#lib/domain/plot-filters.js';
import { escapeLike, queryRows, type Db } from '#server/db';
import { plotAdoptionsJoinSql, plotStateFromJoinSql, plotStateSql } from './state-sql';
import { plotFilterSql, searchedNeighbourhoodIds } from './filters-sql';
import { READ_MODEL_DATA_SETS, versionedReadModel } from './read-models';

/**
 * The public list of plots: filtered, sorted and paged by the URL filters. Only active plots;
 * only what the public may see.
 */

export type { PlotListItem, PlotPage };

export const DEFAULT_PAGE_SIZE = 25;
const MAX_PAGE_SIZE = 200;

// Every order ends in the plot id, so a plot never moves between pages when values tie. Each
// has a partial index of the active plots in that order (schema.ts), so even a deep page only
// walks an index. The neighbourhood order is below (neighbourhoodPageIds).
const ORDER: Record<Exclude<PlotSort, 'neighbourhood'>, SQL> = {
	number: sql`p.id`,
	area_desc: sql`p.area_m2 DESC NULLS LAST, p.id`,
	area_asc: sql`p.area_m2 ASC, p.id`
};

/**
 * One page of the list. The page's plots are found first (ids only, in the asked order), and
 * only those 25 get their state and names: the state costs two index probes per plot, which
 * over a whole city before the LIMIT was most of the page's time.
 */
export async function searchPlots(
	db: Db,
	filters: PlotFilters,
	options: { pageSize?: number } = {}
): Promise<PlotPage> {
	const pageSize = Math.max(1, Math.min(options.pageSize ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE));
	const searchedNeighbourhoods = filters.q === undefined ? undefined : await searchedNeighbourhoodIds(db, filters.q);
	const where = plotFilterSql(filters, { searchedNeighbourhoods });
	const counts = await plotCountsByNeighbourhood(db, filters, searchedNeighbourhoods);
	const total = counts.reduce((sum, c) => sum + c.plots, 0);
	const window = pageWindow(filters.page, total, pageSize);
	const ids =
		total === 0
			? []
			: filters.sort === 'neighbourhood'
				? await neighbourhoodPageIds(db, where, counts, window)
				: (
						await queryRows<{ id: number }>(
							db,
							sql`SELECT p.id FROM plots p WHERE ${where}
								ORDER BY ${ORDER[filters.sort]} LIMIT ${window.pageSize} OFFSET ${window.offset}`
						)
					).map((r) => r.id);
	const items =
		ids.length === 0
			? []
			: await queryRows<PlotListItem>(
					db,
					sql`
						SELECT p.id, p.kind, p.kind_detail AS "kindDetail", p.area_m2::float8 AS "areaM2", ${plotStateSql('p')} AS state,
							n.name AS "neighbourhoodName"
						FROM unnest(ARRAY[${sql.join(
							ids.map((id) => sql`${id}`),
							sql`, `
						)}]::int[]) WITH ORDINALITY AS page(id, ord)
						JOIN plots p ON p.id = page.id
						LEFT JOIN neighbourhoods n ON n.id = p.neighbourhood_id
						ORDER BY page.ord`
				);
	return {
		items,
		total,
		...pageOf(window)
	};
}

export interface NeighbourhoodCount {
	neighbourhoodId: number | null;
	plots: number;
}

/**
 * How many plots the filters find, per neighbourhood (null: outside any): the list's total and
 * where each neighbourhood's plots start in the neighbourhood order. Once per data version and
 * filter set (page and order do not change it), from plots_active_neighbourhood_idx alone;
 * the state, if filtered on, from the adoptions joined once rather than probed per plot (and
 * only then do adoptions make it stale).
 */
export function plotCountsByNeighbourhood(
	db: Db,
	filters: PlotFilters,
	searchedNeighbourhoods?: readonly number[]
): Promise<NeighbourhoodCount[]> {
	const key = `plot-counts?${plotFiltersQuery({ ...filters, page: 1, sort: DEFAULT_PLOT_SORT })}`;
	const withState = filters.state !== undefined;
	return versionedReadModel(
		db,
		key,
		() =>
			queryRows<NeighbourhoodCount>(
				db,
				sql`SELECT p.neighbourhood_id AS "neighbourhoodId", count(*)::int AS plots
					FROM plots p ${withState ? plotAdoptionsJoinSql('p', 'oa') : sql``}
					WHERE ${plotFilterSql(filters, { state: plotStateFromJoinSql('p', 'oa'), searchedNeighbourhoods })}
					GROUP BY p.neighbourhood_id`
			),
		withState ? READ_MODEL_DATA_SETS : ['neighbourhoods', 'plots']
	);
}

/**
 * Each neighbourhood's place in the list's order: by name in any case, then as written
 * (`lower(name), name`). Neighbourhoods of the same name share a place, so their plots
 * interleave by number, exactly as ordering every plot by its neighbourhood's name did.
 */
function neighbourhoodRanks(db: Db): Promise<Map<number, number>> {
	return versionedReadModel(
		db,
		'neighbourhood-ranks',
		async () => {
			const rows = await queryRows<{ id: number; rank: number }>(
				db,
				sql`SELECT id, dense_rank() OVER (ORDER BY lower(name), name)::int AS rank FROM neighbourhoods`
			);
			return new Map(rows.map((r) => [r.id, r.rank]));
		},
		['neighbourhoods']
	);
}

/**
 * A page in neighbourhood order (by name, plots outside any last, then by number) without
 * sorting the city: the counts per neighbourhood say which neighbourhoods the page falls in,
 * usually one, and only their plots are read, in number order (index plots_active_neighbourhood_idx),
 * from where the page starts among them.
 */
async function neighbourhoodPageIds(
	db: Db,
	where: SQL,
	counts: NeighbourhoodCount[],
	window: { offset: number; pageSize: number }
): Promise<number[]> {
	const ranks = await neighbourhoodRanks(db);
	const groups = new Map<number, { ids: (number | null)[]; plots: number }>();
	for (const c of counts) {
		// Outside any neighbourhood comes last (NULLS LAST in the old ORDER BY).
		const rank = c.neighbourhoodId === null ? Number.MAX_SAFE_INTEGER : (ranks.get(c.neighbourhoodId) ?? Number.MAX_SAFE_INTEGER - 1);
		const group = groups.get(rank) ?? { ids: [], plots: 0 };
		group.ids.push(c.neighbourhoodId);
		group.plots += c.plots;
		groups.set(rank, group);
	}
	const onPage: (number | null)[][] = [];
	let skip = 0;
	let start = 0;
	for (const [, group] of [...groups].sort(([a], [b]) => a - b)) {
		const end = start + group.plots;
		if (end > window.offset && start < window.offset + window.pageSize) {
			if (onPage.length === 0) skip = window.offset - start;
			onPage.push(group.ids);
		}
		start = end;
	}
	if (onPage.length === 0) return [];
	const inGroup = (ids: (number | null)[]) => {
		const named = ids.filter((id): id is number => id !== null);
		const parts: SQL[] = [];
		if (named.length > 0) parts.push(sql`p.neighbourhood_id IN (${sql.join(named.map((id) => sql`${id}`), sql`, `)})`);
		if (named.length < ids.length) parts.push(sql`p.neighbourhood_id IS NULL`);
		return sql`(${sql.join(parts, sql` OR `)})`;
	};
	const order =
		onPage.length === 1
			? sql`p.id`
			: sql`CASE ${sql.join(onPage.map((ids, i) => sql`WHEN ${inGroup(ids)} THEN ${i}`), sql` `)} END, p.id`;
	const rows = await queryRows<{ id: number }>(
		db,
		sql`SELECT p.id FROM plots p
			WHERE ${where} AND (${sql.join(onPage.map(inGroup), sql` OR `)})
			ORDER BY ${order} LIMIT ${window.pageSize} OFFSET ${skip}`
	);
	return rows.map((r) => r.id);
}

export interface PlotFilterOptions {
	/** Neighbourhoods that have active plots, by name. */
	neighbourhoods: { id: number; name: string; plotCount: number }[];
	/** Kinds of active plots, most common first. */
	kinds: { kind: string; plotCount: number }[];
	/** A plot number that exists, for the search field's example ("bijvoorbeeld … of Perk 12"). */
	examplePlotId: number | null;
}

/** What the filter form offers: only choices that can find something. Once per data version. */
export function plotFilterOptions(db: Db): Promise<PlotFilterOptions> {
	return versionedReadModel(db, 'plot-filter-options', () => computePlotFilterOptions(db), ['neighbourhoods', 'plots']);
}

async function computePlotFilterOptions(db: Db): Promise<PlotFilterOptions> {
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

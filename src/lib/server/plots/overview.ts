import { sql } from 'drizzle-orm';
import { DEFAULT_PLOT_FILTERS } from '#lib/domain/plot-filters.js';
import { TO_ADOPT_STATE } from '#lib/domain/plot-state.js';
import { queryRows, type Db } from '#server/db';
import { plotCountsByNeighbourhood } from './list';
import { versionedReadModel } from './read-models';

/**
 * Read models for the public overview (home page): totals and plots per neighbourhood (the
 * paged, filtered list of plots is ./list.ts). Only active plots count; retired ones have left the map.
 * No personal data here: these queries back public pages.
 */

export interface PlotTotals {
	plots: number;
	/** Plots to adopt now: exactly what the list finds with its state filter on "Te adopteren". */
	adoptablePlots: number;
	neighbourhoods: number;
	/** Neighbourhoods with at least one active plot. */
	neighbourhoodsWithPlots: number;
	areaM2: number;
	/** [west, south, east, north] of all active plots; null when there are none. */
	bounds: [number, number, number, number] | null;
}

export interface NeighbourhoodSummary {
	id: number;
	name: string;
	code: string | null;
	districtName: string | null;
	plotCount: number;
	areaM2: number;
}

/**
 * Totals of the active plots. The figures of the plots themselves (count, area, extent: one
 * pass, which reads every outline) are kept while plots and neighbourhoods stay the same, so a
 * new adoption does not recompute them; the plots to adopt are exactly the list's count with
 * its state filter on "Te adopteren", which follows adoptions too.
 */
export async function plotTotals(db: Db): Promise<PlotTotals> {
	const [plots, adoptable] = await Promise.all([
		versionedReadModel(db, 'plot-totals', () => computePlotTotals(db), ['neighbourhoods', 'plots']),
		plotCountsByNeighbourhood(db, { ...DEFAULT_PLOT_FILTERS, state: TO_ADOPT_STATE })
	]);
	return { ...plots, adoptablePlots: adoptable.reduce((sum, c) => sum + c.plots, 0) };
}

async function computePlotTotals(db: Db): Promise<Omit<PlotTotals, 'adoptablePlots'>> {
	// Casts keep both drivers agreeing on numbers (count/sum types differ between pg and PGlite).
	const [row] = await queryRows<{
		plots: number;
		neighbourhoods: number;
		neighbourhoods_with_plots: number;
		area_m2: number;
		west: number | null;
		south: number | null;
		east: number | null;
		north: number | null;
	}>(
		db,
		sql`
			SELECT count(*)::int AS plots,
				(SELECT count(*)::int FROM neighbourhoods) AS neighbourhoods,
				count(DISTINCT p.neighbourhood_id)::int AS neighbourhoods_with_plots,
				coalesce(sum(p.area_m2), 0)::float8 AS area_m2,
				ST_XMin(ST_Extent(p.geom))::float8 AS west, ST_YMin(ST_Extent(p.geom))::float8 AS south,
				ST_XMax(ST_Extent(p.geom))::float8 AS east, ST_YMax(ST_Extent(p.geom))::float8 AS north
			FROM plots p
			WHERE p.status = 'active'`
	);
	const bounds: PlotTotals['bounds'] =
		row.west === null || row.south === null || row.east === null || row.north === null
			? null
			: [row.west, row.south, row.east, row.north];
	return {
		plots: row.plots,
		neighbourhoods: row.neighbourhoods,
		neighbourhoodsWithPlots: row.neighbourhoods_with_plots,
		areaM2: row.area_m2,
		bounds
	};
}

/** Every neighbourhood with its count of active plots, busiest first; once per data version. */
export function neighbourhoodSummaries(db: Db): Promise<NeighbourhoodSummary[]> {
	return versionedReadModel(db, 'neighbourhood-summaries', () => computeNeighbourhoodSummaries(db), ['neighbourhoods', 'plots']);
}

async function computeNeighbourhoodSummaries(db: Db): Promise<NeighbourhoodSummary[]> {
	const rows = await queryRows<{
		id: number;
		name: string;
		code: string | null;
		district_name: string | null;
		plot_count: number;
		area_m2: number;
	}>(
		db,
		sql`
			SELECT n.id, n.name, n.code, n.district_name,
				count(p.id)::int AS plot_count,
				coalesce(sum(p.area_m2), 0)::float8 AS area_m2
			FROM neighbourhoods n
			LEFT JOIN plots p ON p.neighbourhood_id = n.id AND p.status = 'active'
			GROUP BY n.id
			ORDER BY plot_count DESC, n.name, n.id`
	);
	return rows.map((r) => ({
		id: r.id,
		name: r.name,
		code: r.code,
		districtName: r.district_name,
		plotCount: r.plot_count,
		areaM2: r.area_m2
	}));
}

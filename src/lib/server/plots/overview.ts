import { sql } from 'drizzle-orm';
import { DEFAULT_PLOT_FILTERS } from '#lib/domain/plot-filters.js';
import { TO_ADOPT_STATE } from '#lib/domain/plot-state.js';
import { queryRows, type Db } from '#server/db';
import { plotFilterSql } from './filters-sql';

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

export async function plotTotals(db: Db): Promise<PlotTotals> {
	// Casts keep both drivers agreeing on numbers (count/sum types differ between pg and PGlite).
	const [row] = await queryRows<{
		plots: number;
		adoptable_plots: number;
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
			WITH active AS (SELECT * FROM plots WHERE status = 'active'),
			extent AS (SELECT ST_Extent(geom) AS box FROM active)
			SELECT
				(SELECT count(*)::int FROM active) AS plots,
				(SELECT count(*)::int FROM plots p WHERE ${plotFilterSql({ ...DEFAULT_PLOT_FILTERS, state: TO_ADOPT_STATE })}) AS adoptable_plots,
				(SELECT count(*)::int FROM neighbourhoods) AS neighbourhoods,
				(SELECT count(DISTINCT neighbourhood_id)::int FROM active) AS neighbourhoods_with_plots,
				(SELECT coalesce(sum(area_m2), 0)::float8 FROM active) AS area_m2,
				ST_XMin(box)::float8 AS west, ST_YMin(box)::float8 AS south,
				ST_XMax(box)::float8 AS east, ST_YMax(box)::float8 AS north
			FROM extent`
	);
	const bounds: PlotTotals['bounds'] =
		row.west === null || row.south === null || row.east === null || row.north === null
			? null
			: [row.west, row.south, row.east, row.north];
	return {
		plots: row.plots,
		adoptablePlots: row.adoptable_plots,
		neighbourhoods: row.neighbourhoods,
		neighbourhoodsWithPlots: row.neighbourhoods_with_plots,
		areaM2: row.area_m2,
		bounds
	};
}

/** Every neighbourhood with its count of active plots, busiest first. */
export async function neighbourhoodSummaries(db: Db): Promise<NeighbourhoodSummary[]> {
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

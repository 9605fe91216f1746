import type { ExpressionSpecification, FilterSpecification } from 'maplibre-gl';
import { mapPlotFiltersQuery, type MapPlotFilters } from '#lib/domain/plot-filters.js';
import { PLOT_TILES_PATH } from './layers';

/**
 * The list's filters (shared through the URL) on the map, so the map shows at every zoom the
 * plots the list would show. Pure: no MapLibre at run time, only its expression types.
 *
 * Two halves (see src/lib/server/tiles/layers.ts for what the tiles carry):
 *   - neighbourhood, kind and size go to the server in the plot tiles' URL: the points at
 *     zoom 14 and the counts below cannot carry them (the counts are per neighbourhood), so
 *     the tiles are filtered there, with the list's own SQL;
 *   - the state stays in the browser: every plot layer carries it (the counts one column per
 *     state), so choosing a state needs no new tiles and shares the unfiltered tiles' cache.
 */

/** The plot tiles' URL template for these filters; without filters, the plain one. */
export function plotTilesPath(f: MapPlotFilters): string {
	const query = mapPlotFiltersQuery({ ...f, state: undefined });
	return query ? `${PLOT_TILES_PATH}?${query}` : PLOT_TILES_PATH;
}

/** For the plot polygons and points: the tiles hold only matching plots, but of any state. */
export function plotStateFilter(f: MapPlotFilters): FilterSpecification {
	return f.state ? ['==', ['get', 'state'], f.state] : true;
}

/** How many of a neighbourhood's plots match, from its `plot_counts` feature. */
export function countExpression(f: MapPlotFilters): ExpressionSpecification {
	return ['get', f.state ?? 'plots'];
}

/** Neighbourhood aggregates: only where something matches. */
export function plotCountFilter(f: MapPlotFilters): FilterSpecification {
	return ['>', countExpression(f), 0];
}

/** The same count in JavaScript, for the HTML labels over the aggregate circles. */
export function matchingCount(props: Record<string, unknown>, f: MapPlotFilters): number {
	const value = props[f.state ?? 'plots'];
	return typeof value === 'number' ? value : 0;
}

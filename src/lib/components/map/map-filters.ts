import type { ExpressionSpecification, FilterSpecification } from 'maplibre-gl';
import type { PlotFilters } from '$lib/domain/plot-filters';

/**
 * The list's filters (shared through the URL) as MapLibre expressions, so the map shows the
 * plots the list would show. Pure: no MapLibre at run time, only its expression types.
 *
 * What each tile layer can be filtered on is what it carries (src/lib/server/tiles/layers.ts):
 * `plots` (zoom ≥ 15) has state, kind, area_m2 and neighbourhood_id; `plot_points` (zoom 14)
 * only state; `plot_counts` (below 14) is one point per neighbourhood with counts per state.
 */
/** The list's filters that the map can apply (free text search and sorting are the list's). */
export type MapPlotFilters = Pick<PlotFilters, 'state' | 'neighbourhood' | 'kind' | 'min_m2' | 'max_m2'>;

export const NO_FILTERS: MapPlotFilters = {
	state: undefined,
	neighbourhood: undefined,
	kind: undefined,
	min_m2: undefined,
	max_m2: undefined
};

/** Only the fields the map uses, so a change of page or sort in the list redraws nothing. */
export function mapFilters(f: PlotFilters): MapPlotFilters {
	return { state: f.state, neighbourhood: f.neighbourhood, kind: f.kind, min_m2: f.min_m2, max_m2: f.max_m2 };
}

const ALWAYS: FilterSpecification = true;

function all(conditions: ExpressionSpecification[]): FilterSpecification {
	if (conditions.length === 0) return ALWAYS;
	if (conditions.length === 1) return conditions[0];
	return ['all', ...conditions];
}

function stateCondition(f: MapPlotFilters): ExpressionSpecification[] {
	return f.state ? [['==', ['get', 'state'], f.state]] : [];
}

/** For the plot polygons: every filter applies. */
export function plotPolygonFilter(f: MapPlotFilters): FilterSpecification {
	const conditions: ExpressionSpecification[] = stateCondition(f);
	if (f.neighbourhood !== undefined) conditions.push(['==', ['get', 'neighbourhood_id'], f.neighbourhood]);
	if (f.kind !== undefined) conditions.push(['==', ['get', 'kind'], f.kind]);
	if (f.min_m2 !== undefined) conditions.push(['>=', ['get', 'area_m2'], f.min_m2]);
	if (f.max_m2 !== undefined) conditions.push(['<=', ['get', 'area_m2'], f.max_m2]);
	return all(conditions);
}

/** For the plot points at zoom 14: they carry the state only. */
export function plotPointFilter(f: MapPlotFilters): FilterSpecification {
	return all(stateCondition(f));
}

/** How many of a neighbourhood's plots match the state filter, from its `plot_counts` feature. */
export function countExpression(f: MapPlotFilters): ExpressionSpecification {
	return ['get', f.state ?? 'plots'];
}

/** Neighbourhood aggregates: only the chosen neighbourhood, only where something matches. */
export function plotCountFilter(f: MapPlotFilters): FilterSpecification {
	const conditions: ExpressionSpecification[] = [['>', countExpression(f), 0]];
	if (f.neighbourhood !== undefined) conditions.push(['==', ['id'], f.neighbourhood]);
	return all(conditions);
}

/** The same count in JavaScript, for the HTML labels over the aggregate circles. */
export function matchingCount(props: Record<string, unknown>, f: MapPlotFilters): number {
	const value = props[f.state ?? 'plots'];
	return typeof value === 'number' ? value : 0;
}

/**
 * True when a filter hides plots that the points at zoom 14 cannot tell apart (they carry the
 * state only; the counts below carry no kind or size): the map then says to zoom in.
 */
export function needsDetailZoom(f: MapPlotFilters): boolean {
	return f.kind !== undefined || f.min_m2 !== undefined || f.max_m2 !== undefined || f.neighbourhood !== undefined;
}

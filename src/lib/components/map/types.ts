import type { MapPlotFilters } from '$lib/domain/plot-filters';

/** [west, south, east, north] in degrees. */
export type Bounds = [number, number, number, number];

/** Everything the map says, already translated: the map component stays free of i18n wiring. */
export interface MapLabels {
	title: string;
	zoomIn: string;
	zoomOut: string;
	resetNorth: string;
	helpWindows: string;
	helpMac: string;
	helpMobile: string;
	/** Shown in the locate marker's tooltip. */
	youAreHere: string;
	/** The attribution button's name. */
	attributionToggle: string;
	/** Credited on the map when it draws the municipality's own BGT. */
	basemapAttribution: string;
}

export interface PlotMapProps {
	/** Initial view. */
	bounds: Bounds;
	/**
	 * A MapLibre style URL to draw under the plots (e.g. PDOK's BRT-Achtergrondkaart), or null
	 * for the plain background. When it cannot be fetched the map falls back to the plain one.
	 */
	basemapStyleUrl: string | null;
	labels: MapLabels;
	/** The list's filters: the map hides what the list would not show. */
	filters: MapPlotFilters;
	/** The plot whose panel is open: highlighted on the map. */
	selectedPlotId: number | null;
	/** A plot was tapped or clicked. */
	onplotselect: (id: number) => void;
	/** The map's own state, shared with the page (near me, focus after the panel closes). */
	view: import('./map-view.svelte').PlotMapView;
}

/** Vector tile URL templates (src/routes/tiles/**); the plots' takes filters (plotTilesPath). */
export const PLOT_TILES_PATH = '/tiles/plots/{z}/{x}/{y}.mvt';
export const NEIGHBOURHOOD_TILES_PATH = '/tiles/neighbourhoods/{z}/{x}/{y}.mvt';
/**
 * Zoom levels where the plot tiles change what they carry (src/lib/server/tiles/layers.ts):
 * polygons from 15, points at 14, neighbourhood counts below.
 */
export const PLOT_DETAIL_MIN_ZOOM = 15;
export const PLOT_POINT_MIN_ZOOM = 14;

/** Layer ids other code (tests, the page) may query. */
export const PLOT_FILL_LAYER = 'perkje-plots-fill';
export const PLOT_LINE_LAYER = 'perkje-plots-line';
export const PLOT_HIGHLIGHT_LAYER = 'perkje-plots-highlight';
export const PLOT_POINT_LAYER = 'perkje-plot-points';
export const PLOT_COUNT_LAYER = 'perkje-plot-counts';
export const NEIGHBOURHOOD_FILL_LAYER = 'perkje-neighbourhoods-fill';
export const NEIGHBOURHOOD_LINE_LAYER = 'perkje-neighbourhoods-line';

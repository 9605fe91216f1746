import type { MapPlotFilters } from '#lib/domain/plot-filters.js';

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
	/** A place without a plot was tapped or clicked (a problem can be reported there). */
	onpointselect?: (lon: number, lat: number) => void;
	/** The map's own state, shared with the page (near me, focus after the panel closes). */
	view: import('./map-view.svelte').PlotMapView;
	/** The "Meldingen" switch: draw the public reports over the plots (their list is /meldingen). */
	showReports?: boolean;
}

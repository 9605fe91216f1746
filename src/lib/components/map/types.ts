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
}

export interface PlotMapProps {
	/** GeoJSON FeatureCollection of plots (integer feature ids). */
	plotsUrl: string;
	/** GeoJSON FeatureCollection of neighbourhood outlines; optional. */
	neighbourhoodsUrl?: string;
	/** Initial view. */
	bounds: Bounds;
	labels: MapLabels;
}

/** Layer ids other code (tests, a later plot panel) may query. */
export const PLOT_FILL_LAYER = 'perkje-plots-fill';
export const PLOT_LINE_LAYER = 'perkje-plots-line';

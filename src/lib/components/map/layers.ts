/** The map's tile sources and layer ids, which the page, the map and the tests share. */

/** Vector tile URL templates (src/routes/tiles/**); the plots' takes filters (plotTilesPath). */
export const PLOT_TILES_PATH = '/tiles/plots/{z}/{x}/{y}.mvt';
export const NEIGHBOURHOOD_TILES_PATH = '/tiles/neighbourhoods/{z}/{x}/{y}.mvt';
/** The public problem reports (open, and closed in the last 14 days), shown when the map's switch is on. */
export const REPORT_TILES_PATH = '/tiles/reports/{z}/{x}/{y}.mvt';
export const REPORT_POINT_LAYER = 'reports-points';
/** Zoom levels where the tiles change what they carry: one definition, shared with the server. */
export { BASEMAP_MIN_ZOOM, PLOT_DETAIL_MIN_ZOOM, PLOT_POINT_MIN_ZOOM } from '#lib/geo/tiles.js';

/** Layer ids other code (tests, the page) may query. */
export const PLOT_FILL_LAYER = 'perkje-plots-fill';
export const PLOT_LINE_LAYER = 'perkje-plots-line';
export const PLOT_HIGHLIGHT_LAYER = 'perkje-plots-highlight';
export const PLOT_POINT_LAYER = 'perkje-plot-points';
export const PLOT_COUNT_LAYER = 'perkje-plot-counts';
export const NEIGHBOURHOOD_FILL_LAYER = 'perkje-neighbourhoods-fill';
export const NEIGHBOURHOOD_LINE_LAYER = 'perkje-neighbourhoods-line';

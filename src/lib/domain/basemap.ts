/**
 * The kinds of the municipality's own topography (BGT) drawn under the plots when no basemap
 * server is configured: one tile layer each, so a map style picks them by name.
 */
export const BASEMAP_LAYERS = ['building', 'road', 'water', 'terrain', 'wall', 'bridge'] as const;
export type BasemapLayer = (typeof BASEMAP_LAYERS)[number];

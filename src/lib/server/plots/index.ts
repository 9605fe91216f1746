/**
 * Plots: the list and its filters (./list.ts, ./filters-sql.ts), the find box (./find.ts), a
 * plot's page (./detail.ts), the home page's overview (./overview.ts), the GeoJSON download
 * (./geojson.ts), the plot-state rule in SQL (./state-sql.ts), a plot's places and row lock
 * (./places.ts), what managers set on plots (./capacity.ts) and the areas staff can cover
 * (./areas.ts).
 */
export * from './list';
export { withOneVersionRead } from './read-models';
export * from './filters-sql';
export * from './find';
export * from './detail';
export * from './overview';
export * from './geojson';
export * from './http';
export * from './state-sql';
export * from './places';
export * from './capacity';
export * from './areas';

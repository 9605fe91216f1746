/** The import service: GeoJSON plots, neighbourhoods and the basemap into the database. */
export { ImportError, type ImportInput } from './input';
export {
	DEFAULT_MAX_PLOT_AREA_M2,
	importPlots,
	OTHER_OWNER_REASON_PREFIX,
	PlotImportOptionsSchema,
	type PlotImportOptions,
	type PlotImportSummary
} from './plots';
export {
	importNeighbourhoods,
	NeighbourhoodImportOptionsSchema,
	type NeighbourhoodImportOptions,
	type NeighbourhoodImportSummary
} from './neighbourhoods';
export {
	BasemapImportOptionsSchema,
	basemapLayerOf,
	importBasemap,
	type BasemapImportOptions,
	type BasemapImportSummary
} from './basemap';
export { assignNeighbourhoods } from './assign';
export { DEFAULT_MIN_PART_AREA_M2, type Rejection, type RepairNote } from './stage';
export { recordRefusedRun, refreshStatistics, type ImportSummaryBase } from './run';
export { formatSummary } from './report';
export { seedDemoIfEmpty } from './seed';

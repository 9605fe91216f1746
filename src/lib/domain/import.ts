/** What an import run reads in; each run is recorded in import_runs under its target. */
export const IMPORT_TARGETS = ['plots', 'neighbourhoods', 'basemap'] as const;
export type ImportTarget = (typeof IMPORT_TARGETS)[number];

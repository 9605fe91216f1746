import fs from 'node:fs';
import { z } from 'zod';
import { widenBbox, type Bbox } from '#lib/geo/crs.js';

const LngLat = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);

const DemoImport = z.object({
	file: z.string(),
	dataset: z.string().optional(),
	crs: z.string().optional()
});

export const MunicipalitySchema = z.object({
	name: z.string().min(1),
	/** CBS municipality code, e.g. GM0503. */
	cbsCode: z.string().regex(/^GM\d{4}$/),
	/** BGT bronhouder of the municipality: only its own plots are adoptable. */
	bgtOwner: z.string().regex(/^[GPWL]\d{4}$/),
	centre: LngLat,
	zoom: z.number().min(0).max(22),
	/** [west, south, east, north] in degrees. */
	bounds: z.tuple([z.number(), z.number(), z.number(), z.number()]),
	defaultLanguage: z.enum(['nl', 'en']),
	contactEmail: z.email(),
	/** What the first start loads into an empty database when demo mode is on. */
	demo: z
		.object({
			neighbourhoods: z.array(DemoImport),
			plots: z.array(DemoImport),
			/** BGT files for the map's own basemap (pand, wegdeel, …); the layer comes from the name. */
			basemap: z.array(DemoImport).default([])
		})
		.optional()
});

export type Municipality = z.infer<typeof MunicipalitySchema>;
/** What pages may know about the municipality (no seed paths). */
export type PublicMunicipality = Omit<Municipality, 'demo'>;

export function loadMunicipality(file: string): Municipality {
	let raw: unknown;
	try {
		raw = JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch (e) {
		throw new Error(`Cannot read the municipality settings in ${file}: ${(e as Error).message}`);
	}
	const parsed = MunicipalitySchema.safeParse(raw);
	if (!parsed.success) {
		throw new Error(
			`The municipality settings in ${file} are invalid:\n${z.prettifyError(parsed.error)}`
		);
	}
	return parsed.data;
}

export function publicMunicipality(m: Municipality): PublicMunicipality {
	const { demo: _demo, ...rest } = m;
	return rest;
}

/**
 * How far outside the municipality's `bounds` imported features may reach. The bounds
 * frame the map and are often drawn by hand; 2 km covers plots on the boundary and a
 * boundary that moved, while a wrong CRS lands tens or thousands of kilometres away.
 */
export const IMPORT_BOUNDS_MARGIN_M = 2000;

/** The importer's bounds check for this municipality (the `bounds` and `boundsName` import options). */
export function importBounds(m: Municipality): { bounds: Bbox; boundsName: string } {
	return {
		bounds: widenBbox(m.bounds, IMPORT_BOUNDS_MARGIN_M),
		boundsName: `the bounds of ${m.name} in the municipality settings, with a ${IMPORT_BOUNDS_MARGIN_M / 1000} km margin`
	};
}

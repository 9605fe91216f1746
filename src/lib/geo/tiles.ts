import { z } from 'zod';

/**
 * Web-mercator (XYZ, "slippy map") tile maths. Pure: the tile services and the map share it.
 * Tile y grows southward, as MapLibre and ST_TileEnvelope count it.
 */

/** Highest zoom we render; MapLibre overzooms beyond a source's maxzoom by itself. */
export const MAX_TILE_ZOOM = 22;

/**
 * What the plots tile carries at each zoom, so no tile grows past a few hundred KB however
 * dense a city is (measured with 200,000 plots in Delft's 24 km²: polygons at zoom 14 made
 * tiles of 770 KB; as points they are a third of that):
 *   zoom ≥ PLOT_DETAIL_MIN_ZOOM (15): every plot polygon (layer `plots`);
 *   zoom PLOT_POINT_MIN_ZOOM (14): every plot as a point with its state (layer `plot_points`);
 *   below: plot counts per state, one point per neighbourhood and tile, so a tile that holds
 *   plots is never empty (layer `plot_counts`; src/lib/server/tiles/layers.ts).
 * Points and counts cannot carry enough to be filtered in the browser (kind, size and
 * neighbourhood on every point made the largest zoom-14 tile 503 KB instead of 371 KB), so
 * the map asks for filtered tiles instead.
 */
export const PLOT_DETAIL_MIN_ZOOM = 15;
export const PLOT_POINT_MIN_ZOOM = 14;

/**
 * The basemap (the municipality's own BGT) from this zoom on. Below it a street or a building
 * is a pixel or two: the neighbourhood outlines are what a reader finds the way by there, and a
 * whole city's BGT in one tile would be megabytes.
 */
export const BASEMAP_MIN_ZOOM = 14;

/** Half the width of the EPSG:3857 world square, in metres. */
export const MERCATOR_HALF_WORLD = 20037508.342789244;

export interface TileCoord {
	z: number;
	x: number;
	y: number;
}

/** [west, south, east, north] */
export type Bounds = [number, number, number, number];

// Only plain decimal digits: "1e3", "0x10", " 7", "+3" and "07.5" are junk in a tile URL.
const tileNumber = z
	.string()
	.regex(/^\d{1,8}$/, 'must be a whole number')
	.transform(Number);

const TileParams = z
	.object({ z: tileNumber, x: tileNumber, y: tileNumber })
	.refine((t) => t.z <= MAX_TILE_ZOOM, { message: `zoom must be 0 to ${MAX_TILE_ZOOM}`, path: ['z'] })
	.refine((t) => t.x < 2 ** t.z, { message: 'x is outside the zoom level', path: ['x'] })
	.refine((t) => t.y < 2 ** t.z, { message: 'y is outside the zoom level', path: ['y'] });

/** Validates z/x/y as they come from a URL; returns the problem in words when invalid. */
export function parseTileCoord(
	params: Record<string, string | undefined>
): { ok: true; tile: TileCoord } | { ok: false; error: string } {
	const parsed = TileParams.safeParse(params);
	if (parsed.success) return { ok: true, tile: parsed.data };
	return {
		ok: false,
		error: parsed.error.issues.map((i) => `${i.path.join('.') || 'tile'}: ${i.message}`).join('; ')
	};
}

/** The tile's square in EPSG:3857 metres, as ST_TileEnvelope(z, x, y) gives it. */
export function tileBounds3857({ z, x, y }: TileCoord): Bounds {
	const size = (2 * MERCATOR_HALF_WORLD) / 2 ** z;
	const west = -MERCATOR_HALF_WORLD + x * size;
	const north = MERCATOR_HALF_WORLD - y * size;
	return [west, north - size, west + size, north];
}

function tileLongitude(x: number, z: number): number {
	return (x / 2 ** z) * 360 - 180;
}

function tileLatitude(y: number, z: number): number {
	const n = Math.PI - (2 * Math.PI * y) / 2 ** z;
	return (180 / Math.PI) * Math.atan(Math.sinh(n));
}

/**
 * The tile's bounds in EPSG:4326 degrees. A mercator tile is an axis-aligned rectangle in
 * longitude/latitude too, so a bounding-box test on 4326 geometry selects exactly its features.
 * `buffer` widens the tile by that fraction of its size on every side (for clipping margins).
 */
export function tileBounds4326({ z, x, y }: TileCoord, buffer = 0): Bounds {
	const world = 2 ** z;
	const clampX = (v: number) => Math.min(Math.max(v, 0), world);
	return [
		tileLongitude(clampX(x - buffer), z),
		tileLatitude(Math.min(y + 1 + buffer, world), z),
		tileLongitude(clampX(x + 1 + buffer), z),
		tileLatitude(Math.max(y - buffer, 0), z)
	];
}

/** The tile that holds a point at a zoom (for tests, links and the map's first view). */
export function tileForPoint(lng: number, lat: number, z: number): TileCoord {
	const world = 2 ** z;
	const x = Math.floor(((lng + 180) / 360) * world);
	const rad = (lat * Math.PI) / 180;
	const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * world);
	const clamp = (v: number) => Math.min(Math.max(v, 0), world - 1);
	return { z, x: clamp(x), y: clamp(y) };
}

/** Size of one tile pixel in degrees of longitude at an extent (for SQL simplification). */
export function tilePixelDegrees(z: number, extent = 4096): number {
	return 360 / 2 ** z / extent;
}

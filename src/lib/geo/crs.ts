/**
 * Coordinate reference systems the importer meets in Dutch municipal data, and the sanity
 * checks that catch a file whose numbers cannot be in the CRS it claims. Most GIS tools
 * silently treat RD New metres as degrees (or the reverse) and put the data in the ocean;
 * an operator would rather hear it before anything is written.
 */

/** RD New (Amersfoort / RD New), as proj4 knows it; for checks outside the database. */
export const RD_NEW_PROJ4 =
	'+proj=sterea +lat_0=52.15616055555555 +lon_0=5.38763888888889 +k=0.9999079 ' +
	'+x_0=155000 +y_0=463000 +ellps=bessel ' +
	'+towgs84=565.417,50.3319,465.552,-0.398957,0.343988,-1.8774,4.0725 +units=m +no_defs';

/** The area RD New is defined for (EPSG:28992's bounds, in metres, rounded outwards). */
export const RD_NEW_EXTENT = { minX: -7000, minY: 289000, maxX: 300000, maxY: 629000 } as const;

export type CrsKind = 'rd-new' | 'degrees' | 'other';

export interface Crs {
	/** PostGIS srid (EPSG code). */
	srid: number;
	/** How we write it in messages, e.g. "EPSG:28992 (RD New)". */
	label: string;
	kind: CrsKind;
}

export const RD_NEW: Crs = { srid: 28992, label: 'EPSG:28992 (RD New)', kind: 'rd-new' };
export const WGS84: Crs = { srid: 4326, label: 'EPSG:4326 (longitude/latitude)', kind: 'degrees' };

/**
 * Reads a CRS name as found in an old-style GeoJSON `crs` member or typed by an operator:
 * `urn:ogc:def:crs:EPSG::28992`, `EPSG:28992`, `28992`, `urn:ogc:def:crs:OGC:1.3:CRS84`,
 * `CRS84`, `EPSG:4326`. Returns null for something unreadable. Any other EPSG code is
 * accepted here; whether PostGIS knows it is checked against spatial_ref_sys at import.
 */
export function parseCrs(name: string): Crs | null {
	const text = name.trim();
	if (/^(urn:ogc:def:crs:)?(OGC:(1\.3)?:?)?CRS:?84$/i.test(text)) return WGS84;
	if (/^(WGS ?84|lon\/?lat)$/i.test(text)) return WGS84;
	if (/^(RD|RD ?New|Amersfoort ?\/ ?RD ?New)$/i.test(text)) return RD_NEW;
	const epsg =
		/^urn:ogc:def:crs:EPSG:[\d.]*:(\d+)$/i.exec(text) ??
		/^EPSG:{1,2}(\d+)$/i.exec(text) ??
		/^https?:\/\/www\.opengis\.net\/def\/crs\/EPSG\/[\d.]+\/(\d+)$/i.exec(text) ??
		/^(\d{4,6})$/.exec(text);
	if (!epsg) return null;
	const srid = Number(epsg[1]);
	if (srid === 28992) return RD_NEW;
	// GeoJSON files in practice write EPSG:4326 in lon/lat order whatever the EPSG axis
	// order says (GDAL does so), so it is read like CRS84.
	if (srid === 4326) return WGS84;
	return { srid, label: `EPSG:${srid}`, kind: 'other' };
}

/** [minX, minY, maxX, maxY] */
export type Bbox = [number, number, number, number];

export function emptyBbox(): Bbox {
	return [Infinity, Infinity, -Infinity, -Infinity];
}

export function extendBbox(b: Bbox, x: number, y: number): void {
	if (x < b[0]) b[0] = x;
	if (y < b[1]) b[1] = y;
	if (x > b[2]) b[2] = x;
	if (y > b[3]) b[3] = y;
}

export function mergeBbox(into: Bbox, other: Bbox): void {
	extendBbox(into, other[0], other[1]);
	extendBbox(into, other[2], other[3]);
}

export function fitsDegrees(b: Bbox): boolean {
	return b[0] >= -180 && b[2] <= 180 && b[1] >= -90 && b[3] <= 90;
}

export function fitsRdNew(b: Bbox): boolean {
	const e = RD_NEW_EXTENT;
	return b[0] >= e.minX && b[2] <= e.maxX && b[1] >= e.minY && b[3] <= e.maxY;
}

/**
 * Whether coordinates spanning `b` can be in `crs`. 'ok', or what they look like instead,
 * so the message can name the --crs that would work. CRSs other than RD New and degrees
 * are not judged.
 */
export type Plausibility = 'ok' | 'looks-like-rd-new' | 'looks-like-degrees' | 'out-of-range';

export function plausibility(b: Bbox, crs: Crs): Plausibility {
	if (crs.kind === 'degrees') {
		if (fitsDegrees(b)) return 'ok';
		return fitsRdNew(b) ? 'looks-like-rd-new' : 'out-of-range';
	}
	if (crs.kind === 'rd-new') {
		if (fitsRdNew(b)) return 'ok';
		return fitsDegrees(b) ? 'looks-like-degrees' : 'out-of-range';
	}
	return 'ok';
}

/** Metres per degree of latitude (and of longitude at the equator), close enough for margins. */
const METRES_PER_DEGREE = 111_320;

/**
 * A lon/lat box widened by `metres` on every side (longitude scaled at the box's most
 * poleward edge, so the margin is at least that wide everywhere).
 */
export function widenBbox(b: Bbox, metres: number): Bbox {
	const dLat = metres / METRES_PER_DEGREE;
	const cos = Math.cos((Math.max(Math.abs(b[1]), Math.abs(b[3])) * Math.PI) / 180);
	const dLon = metres / (METRES_PER_DEGREE * Math.max(cos, 0.01));
	return [Math.max(b[0] - dLon, -180), Math.max(b[1] - dLat, -90), Math.min(b[2] + dLon, 180), Math.min(b[3] + dLat, 90)];
}

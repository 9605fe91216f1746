import { emptyBbox, extendBbox, type Bbox } from './crs';

/**
 * Structural checks and the cheap repairs of polygon geometry, done before PostGIS sees it:
 * PostGIS raises an error (aborting the whole import transaction) on a malformed ring, so
 * whatever it cannot parse must be caught here and turned into a per-feature rejection.
 * Topological repairs (self-intersections) are left to ST_MakeValid in the database.
 */

export type Position = [number, number];
export type Ring = Position[];
export type PolygonCoordinates = Ring[];

/** What the importer repaired, as stored in plots.repairs and counted in the summary. */
export const REPAIR = {
	ringClosed: 'ring closed',
	ringOrientation: 'ring orientation',
	degenerateHoleDropped: 'degenerate hole dropped',
	emptyPartDropped: 'empty part dropped',
	madeValid: 'invalid geometry made valid',
	sliversDropped: 'sliver parts dropped'
} as const;

export type PolygonalResult =
	| {
			ok: true;
			/** Always a MultiPolygon's coordinates: 2D, every ring closed. */
			polygons: PolygonCoordinates[];
			repairs: string[];
			bbox: Bbox;
	  }
	| { ok: false; reason: string };

export const POLYGONAL_TYPES = ['Polygon', 'MultiPolygon'] as const;

export function isPolygonalType(type: unknown): type is (typeof POLYGONAL_TYPES)[number] {
	return type === 'Polygon' || type === 'MultiPolygon';
}

/**
 * Twice the signed area by the shoelace formula: positive for counter-clockwise rings
 * (x east, y north), in the ring's own units. Orientation survives the reprojection from
 * RD New to degrees, so it can be judged in source coordinates.
 */
export function ringSignedArea2(ring: Ring): number {
	let sum = 0;
	for (let i = 0, n = ring.length - 1; i < n; i++) {
		const [x1, y1] = ring[i];
		const [x2, y2] = ring[i + 1];
		sum += x1 * y2 - x2 * y1;
	}
	return sum;
}

function distinctPositions(ring: Ring): number {
	return new Set(ring.map(([x, y]) => `${x},${y}`)).size;
}

class Malformed extends Error {}

function readPosition(value: unknown, bbox: Bbox): Position {
	if (!Array.isArray(value) || value.length < 2) {
		throw new Malformed('a coordinate is not a [x, y] pair');
	}
	const x = value[0];
	const y = value[1];
	if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) {
		throw new Malformed('a coordinate is not a pair of numbers');
	}
	extendBbox(bbox, x, y);
	// Heights (a third number) are dropped: plots are 2D.
	return [x, y];
}

function readRing(value: unknown, bbox: Bbox, repairs: Set<string>): Ring {
	if (!Array.isArray(value)) throw new Malformed('a ring is not a list of coordinates');
	const ring = value.map((p) => readPosition(p, bbox));
	if (ring.length > 0) {
		const first = ring[0];
		const last = ring[ring.length - 1];
		if (first[0] !== last[0] || first[1] !== last[1]) {
			ring.push([first[0], first[1]]);
			repairs.add(REPAIR.ringClosed);
		}
	}
	return ring;
}

/** A ring that can bound an area: at least three distinct corners. */
function isDegenerate(ring: Ring): boolean {
	return ring.length < 4 || distinctPositions(ring) < 3;
}

function readPolygon(value: unknown, bbox: Bbox, repairs: Set<string>): PolygonCoordinates | null {
	if (!Array.isArray(value)) throw new Malformed('a polygon is not a list of rings');
	if (value.length === 0) return null;
	const [outer, ...holes] = value.map((r) => readRing(r, bbox, repairs));
	if (isDegenerate(outer)) return null;
	const keptHoles = holes.filter((h) => {
		if (!isDegenerate(h)) return true;
		repairs.add(REPAIR.degenerateHoleDropped);
		return false;
	});
	// RFC 7946: exterior rings counter-clockwise, holes clockwise. The database enforces
	// it (ST_ForcePolygonCCW); here it is only noticed, so the summary can say so.
	if (ringSignedArea2(outer) < 0 || keptHoles.some((h) => ringSignedArea2(h) > 0)) {
		repairs.add(REPAIR.ringOrientation);
	}
	return [outer, ...keptHoles];
}

/**
 * Checks a GeoJSON geometry, closes open rings, drops degenerate holes and empty parts,
 * and notes a ring orientation that differs from RFC 7946. Rejects what cannot become a
 * polygon with a reason a person can act on.
 */
export function normalizePolygonal(geometry: unknown): PolygonalResult {
	if (geometry === null || geometry === undefined) {
		return { ok: false, reason: 'the feature has no geometry' };
	}
	if (typeof geometry !== 'object') return { ok: false, reason: 'the geometry is not an object' };
	const g = geometry as { type?: unknown; coordinates?: unknown };
	if (!isPolygonalType(g.type)) {
		const type = typeof g.type === 'string' ? g.type : 'unknown';
		return { ok: false, reason: `geometry type ${type}, not Polygon or MultiPolygon` };
	}
	const bbox = emptyBbox();
	const repairs = new Set<string>();
	try {
		if (!Array.isArray(g.coordinates)) throw new Malformed('the geometry has no coordinates');
		const raw = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
		const polygons: PolygonCoordinates[] = [];
		for (const p of raw) {
			const polygon = readPolygon(p, bbox, repairs);
			if (polygon) polygons.push(polygon);
		}
		if (polygons.length === 0) {
			return {
				ok: false,
				reason: 'the polygon is degenerate (an outer ring with fewer than 3 distinct corners)'
			};
		}
		if (polygons.length < raw.length) repairs.add(REPAIR.emptyPartDropped);
		return { ok: true, polygons, repairs: [...repairs], bbox };
	} catch (e) {
		if (e instanceof Malformed) return { ok: false, reason: `malformed geometry: ${e.message}` };
		throw e;
	}
}

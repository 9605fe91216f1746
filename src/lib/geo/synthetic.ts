import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import proj4 from 'proj4';
import { z } from 'zod';
import { parseCrs, RD_NEW_PROJ4 } from './crs';

/**
 * Synthetic green plots for benchmarks: shapes and sizes like BGT begroeidterreindelen
 * (tree pits, planting beds, verges along streets, lawns and L-shaped corners, irregular
 * shrub beds, a few parks with ponds), placed inside real neighbourhood boundaries.
 *
 * Pure and deterministic: the same neighbourhoods, plot count and seed give the same
 * plots, byte for byte, so a benchmark run can be repeated and a cached file trusted.
 *
 * Placement works in a metric frame per neighbourhood, turned to a random "street
 * direction" so most plots line up with each other the way verges and beds do. The frame
 * is an affine map of lon/lat (local equirectangular), so straight edges stay straight
 * and "inside" in the frame means inside in lon/lat. A 0.5 m occupancy grid, with every
 * cell the boundary touches blocked, keeps each plot inside its neighbourhood and apart
 * from the others (plots are placed by their bounding box in that frame, largest first).
 * Only when a neighbourhood is full does a plot shrink, and as a last resort overlap.
 */

/** Top-level members of the output collection; the importer marks such plots synthetic. */
export const SYNTHETIC_COLLECTION_MEMBERS = { name: 'synthetic', synthetic: true } as const;

export const SYNTHETIC_ID_PREFIX = 'SYNTH.';

export interface SyntheticOptions {
	plots: number;
	seed: number;
	/** BGT bronhouder written on every plot (the municipality, e.g. G0503). */
	owner: string;
	/**
	 * Share of the neighbourhoods' area the plots may cover on average. When the requested
	 * count would need more, all sizes shrink by one factor, so the distribution keeps its
	 * shape (a town with 200,000 plots has smaller ones, as Delft's own BGT shows).
	 */
	maxCoverage?: number;
}

/** BGT-shaped attributes (Otterlo export spelling). */
export interface SyntheticPlotProperties {
	lokaalID: string;
	bronhouder: string;
	bgt_status: 'bestaand';
	plus_status: 'geenWaarde';
	creationDate: string;
	tijdstipRegistratie: string;
	relatieveHoogteligging: 0;
	inOnderzoek: false;
	fysiekVoorkomen: string;
	plus_fysiekVoorkomen: string;
	opTalud: false;
}

export type ShapeKind = 'treePit' | 'bed' | 'verge' | 'lawn' | 'irregular' | 'park';

export interface SyntheticPlot {
	feature: Feature<Polygon, SyntheticPlotProperties>;
	/** Index into the neighbourhoods the generator was given. */
	neighbourhood: number;
	shape: ShapeKind;
	/** Planar area of the generated polygon in m² (holes subtracted). */
	areaM2: number;
}

export interface SyntheticSummary {
	plots: number;
	/** Factor all sizes were multiplied by to fit the requested count (1 = not needed). */
	sizeScale: number;
	/** Plots made smaller than drawn because their neighbourhood had no room left. */
	shrunk: number;
	/** Plots that could only be placed overlapping another one. */
	overlapping: number;
}

export interface NeighbourhoodInput {
	name: string;
	/** Polygons (each: exterior ring, then holes) in lon/lat. */
	polygons: Position[][][];
}

// ---------------------------------------------------------------------------------------
// Input

const Ring = z.array(z.array(z.number()).min(2)).min(4);
const NeighbourhoodCollection = z.object({
	type: z.literal('FeatureCollection'),
	crs: z.object({ properties: z.object({ name: z.string() }) }).optional(),
	features: z
		.array(
			z.object({
				properties: z.record(z.string(), z.unknown()).nullable().optional(),
				geometry: z.discriminatedUnion('type', [
					z.object({ type: z.literal('Polygon'), coordinates: z.array(Ring).min(1) }),
					z.object({
						type: z.literal('MultiPolygon'),
						coordinates: z.array(z.array(Ring).min(1)).min(1)
					})
				])
			})
		)
		.min(1, 'the collection has no neighbourhoods')
});

/**
 * Reads a neighbourhood FeatureCollection (CBS buurten or similar) in lon/lat
 * (CRS84/EPSG:4326, the GeoJSON default) or RD New (EPSG:28992, CBS's own downloads).
 */
export function neighbourhoodsFromGeoJson(raw: unknown): NeighbourhoodInput[] {
	const parsed = NeighbourhoodCollection.safeParse(raw);
	if (!parsed.success) {
		throw new Error(
			`not a FeatureCollection of Polygon/MultiPolygon neighbourhoods:\n${z.prettifyError(parsed.error)}`
		);
	}
	const crsName = parsed.data.crs?.properties.name ?? 'CRS84';
	const crs = parseCrs(crsName);
	if (crs?.kind !== 'degrees' && crs?.kind !== 'rd-new') {
		throw new Error(`unsupported CRS "${crsName}": use CRS84/EPSG:4326 or EPSG:28992`);
	}
	const toLonLat = crs.kind === 'rd-new' ? proj4(RD_NEW_PROJ4, 'EPSG:4326') : null;
	return parsed.data.features.map((f, i) => {
		const props = f.properties ?? {};
		const name = String(props.BU_NAAM ?? props.buurtnaam ?? props.name ?? `neighbourhood ${i + 1}`);
		const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
		const lonLat = polygons.map((rings) =>
			rings.map((ring) =>
				ring.map((p) => (toLonLat ? toLonLat.forward([p[0], p[1]]) : [p[0], p[1]]))
			)
		);
		const [lon, lat] = lonLat[0][0][0];
		if (Math.abs(lon) > 180 || Math.abs(lat) > 90) {
			throw new Error(
				`neighbourhood ${i + 1} has coordinates (${lon}, ${lat}) that are not degrees; declare EPSG:28992 in "crs" if they are RD New metres`
			);
		}
		return { name, polygons: lonLat };
	});
}

// ---------------------------------------------------------------------------------------
// Randomness

/** sfc32: small, fast, good enough for geometry, and identical on every platform. */
export function seededRandom(seed: number): () => number {
	let a = 0x9e3779b9 ^ seed;
	let b = 0x243f6a88 ^ Math.imul(seed, 0x85ebca6b);
	let c = 0xb7e15162;
	let d = 1;
	const next = () => {
		a |= 0;
		b |= 0;
		c |= 0;
		d |= 0;
		const t = (((a + b) | 0) + d) | 0;
		d = (d + 1) | 0;
		a = b ^ (b >>> 9);
		b = (c + (c << 3)) | 0;
		c = (c << 21) | (c >>> 11);
		c = (c + t) | 0;
		return (t >>> 0) / 4294967296;
	};
	for (let i = 0; i < 15; i++) next();
	return next;
}

class Rng {
	constructor(readonly next: () => number) {}
	range(min: number, max: number): number {
		return min + (max - min) * this.next();
	}
	int(min: number, max: number): number {
		return Math.floor(this.range(min, max + 1));
	}
	chance(p: number): boolean {
		return this.next() < p;
	}
	normal(): number {
		const u = 1 - this.next();
		return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
	}
	/** Log-normal around a median, clamped: sizes in BGT spread over orders of magnitude. */
	logNormal(median: number, sigma: number, min: number, max: number): number {
		return Math.min(max, Math.max(min, median * Math.exp(sigma * this.normal())));
	}
	pick<T>(weighted: readonly (readonly [T, number])[]): T {
		const total = weighted.reduce((s, [, w]) => s + w, 0);
		let r = this.next() * total;
		for (const [value, w] of weighted) {
			r -= w;
			if (r < 0) return value;
		}
		return weighted[weighted.length - 1][0];
	}
}

// ---------------------------------------------------------------------------------------
// What plots look like

interface ShapeSpec {
	weight: number;
	/** Median, spread and bounds of the drawn area in m². */
	median: number;
	sigma: number;
	min: number;
	max: number;
	/** False for things with a physical size (a tree pit is a tree pit in any town). */
	scales: boolean;
	/** BGT fysiekVoorkomen / plus_fysiekVoorkomen mix. */
	kinds: readonly (readonly [readonly [string, string], number])[];
}

const G = 'groenvoorziening';
/**
 * The mix, tuned against the seed data: Delft's 3dfier extract is mostly tree pits and
 * small beds (median 2.3 m²), Otterlo's municipal set has lawns, verges and woodland
 * (median 96 m², up to 25 ha). Together: median ~12 m², mean ~170 m², 1 m² to 4 ha.
 */
export const SHAPES: Record<ShapeKind, ShapeSpec> = {
	treePit: { weight: 28, median: 2.3, sigma: 0.45, min: 1, max: 9, scales: false, kinds: [[[G, 'waardeOnbekend'], 60], [[G, 'bodembedekkers'], 20], [[G, 'planten'], 20]] },
	bed: { weight: 20, median: 9, sigma: 0.8, min: 2, max: 80, scales: true, kinds: [[[G, 'heesters'], 40], [[G, 'planten'], 25], [[G, 'bodembedekkers'], 15], [[G, 'waardeOnbekend'], 20]] },
	verge: { weight: 20, median: 45, sigma: 0.9, min: 8, max: 1500, scales: true, kinds: [[[G, 'gras- en kruidachtigen'], 55], [[G, 'heesters'], 30], [[G, 'waardeOnbekend'], 15]] },
	lawn: { weight: 15, median: 160, sigma: 0.9, min: 25, max: 5000, scales: true, kinds: [[[G, 'gras- en kruidachtigen'], 65], [[G, 'heesters'], 10], [[G, 'waardeOnbekend'], 15], [['grasland overig', 'waardeOnbekend'], 10]] },
	irregular: { weight: 16, median: 150, sigma: 1.1, min: 20, max: 15000, scales: true, kinds: [[[G, 'heesters'], 35], [[G, 'bosplantsoen'], 20], [[G, 'gras- en kruidachtigen'], 25], [[G, 'waardeOnbekend'], 10], [['houtwal', 'waardeOnbekend'], 5], [['grasland overig', 'waardeOnbekend'], 5]] },
	park: { weight: 1, median: 6000, sigma: 0.7, min: 2000, max: 40000, scales: true, kinds: [[[G, 'bosplantsoen'], 35], [['gemengd bos', 'waardeOnbekend'], 15], [['loofbos', 'waardeOnbekend'], 15], [['grasland overig', 'waardeOnbekend'], 20], [[G, 'gras- en kruidachtigen'], 15]] }
};

const SHAPE_KINDS = Object.keys(SHAPES) as ShapeKind[];
const SHAPE_WEIGHTS = SHAPE_KINDS.map((k) => [k, SHAPES[k].weight] as const);

/**
 * Expected drawn area of one plot, split into the part that scales with density and the
 * part that doesn't (clamped log-normals, so by simulation; exact enough).
 */
function meanArea(): { fixed: number; scaling: number } {
	const rng = new Rng(seededRandom(12345));
	const sum = { fixed: 0, scaling: 0 };
	const n = 20000;
	for (let i = 0; i < n; i++) {
		const s = SHAPES[rng.pick(SHAPE_WEIGHTS)];
		sum[s.scales ? 'scaling' : 'fixed'] += rng.logNormal(s.median, s.sigma, s.min, s.max) / n;
	}
	return sum;
}

type Ring2 = [number, number][];
/** A polygon in metres around (0,0): exterior counter-clockwise, holes clockwise. */
interface LocalShape {
	rings: Ring2[];
	area: number;
}

function rect(w: number, h: number): Ring2 {
	return [
		[-w / 2, -h / 2],
		[w / 2, -h / 2],
		[w / 2, h / 2],
		[-w / 2, h / 2]
	];
}

function ringArea(ring: Ring2): number {
	let s = 0;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
		s += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
	}
	return s / 2;
}

/** A star-shaped ring (simple by construction: strictly increasing angles). */
function blob(rng: Rng, radius: number, vertices: number, roughness: number): Ring2 {
	const ring: Ring2 = [];
	const phase = rng.range(0, 2 * Math.PI);
	// Smooth radius variation (two low harmonics) plus a little noise, like real lawns.
	const h1 = rng.range(0, roughness);
	const h2 = rng.range(0, roughness / 2);
	const p1 = rng.range(0, 2 * Math.PI);
	const p2 = rng.range(0, 2 * Math.PI);
	for (let i = 0; i < vertices; i++) {
		const t = phase + ((i + rng.range(-0.3, 0.3)) / vertices) * 2 * Math.PI;
		const r =
			radius *
			(1 + h1 * Math.sin(2 * t + p1) + h2 * Math.sin(3 * t + p2) + rng.range(-0.08, 0.08));
		ring.push([r * Math.cos(t), r * Math.sin(t)]);
	}
	return ring;
}

function scaleTo(rings: Ring2[], area: number): LocalShape {
	const current = rings.reduce((s, r) => s + ringArea(r), 0);
	const f = Math.sqrt(area / current);
	const scaled = rings.map((r) => r.map(([x, y]) => [x * f, y * f] as [number, number]));
	return { rings: scaled, area };
}

/** Draws one plot of the given kind and area, centred on (0,0), not yet rotated. */
function drawShape(rng: Rng, kind: ShapeKind, area: number): LocalShape {
	switch (kind) {
		case 'treePit': {
			if (rng.chance(0.2)) return scaleTo([blob(rng, 1, 8, 0)], area); // round pit
			const aspect = rng.range(1, 1.6);
			return { rings: [rect(Math.sqrt(area * aspect), Math.sqrt(area / aspect))], area };
		}
		case 'bed': {
			const aspect = rng.range(1.3, 5);
			const w = Math.sqrt(area * aspect);
			const h = area / w;
			if (h >= 1.6 && rng.chance(0.15)) {
				// A bed around a tree: the pit is a hole.
				const s = Math.min(1.2, h / 2);
				const hole = rect(s, s).reverse() as Ring2;
				return { rings: [rect(w, h), hole], area: area - s * s };
			}
			return { rings: [rect(w, h)], area };
		}
		case 'verge': {
			const width = Math.min(Math.sqrt(area / 3), rng.logNormal(2.5, 0.45, 1, 10));
			const length = area / width;
			if (length > 25 && rng.chance(0.35)) return curvedStrip(rng, width, length);
			return { rings: [rect(length, width)], area };
		}
		case 'lawn': {
			const aspect = rng.range(1, 3);
			const w = Math.sqrt(area * aspect);
			const h = area / w;
			let outer = rect(w, h);
			if (rng.chance(0.3)) {
				// Corner plot: an L, the cut-out where a path or a front garden is.
				const cx = w * rng.range(0.3, 0.6);
				const cy = h * rng.range(0.3, 0.6);
				outer = [
					[-w / 2, -h / 2],
					[w / 2, -h / 2],
					[w / 2, h / 2 - cy],
					[w / 2 - cx, h / 2 - cy],
					[w / 2 - cx, h / 2],
					[-w / 2, h / 2]
				];
			}
			const outerArea = ringArea(outer);
			if (h >= 4 && rng.chance(0.25)) {
				// A tree pit left out of the lawn, in the lower 40%, which the L never cuts.
				const s = rng.range(0.6, Math.min(1.8, 0.4 * h - 1));
				const x = rng.range(-w / 2 + 0.5, w / 2 - 0.5 - s);
				const y = rng.range(-h / 2 + 0.5, -0.1 * h - 0.5 - s);
				const hole: Ring2 = [
					[x, y],
					[x, y + s],
					[x + s, y + s],
					[x + s, y]
				];
				return { rings: [outer, hole], area: outerArea - s * s };
			}
			return { rings: [outer], area: outerArea };
		}
		case 'irregular': {
			const vertices = rng.int(6, 28);
			const outer = blob(rng, 1, vertices, 0.3);
			// Few vertices make long chords that could cut into a hole: holes need >= 10.
			if (area >= 300 && vertices >= 10 && rng.chance(0.12)) {
				const hole = blob(rng, 0.25, rng.int(5, 10), 0.15).reverse();
				return scaleTo([outer, hole], area);
			}
			return scaleTo([outer], area);
		}
		case 'park': {
			const outer = blob(rng, 1, rng.int(24, 64), 0.25);
			if (rng.chance(0.5)) {
				// A pond or playground inside the park.
				const hole = blob(rng, rng.range(0.15, 0.35), rng.int(8, 24), 0.15).reverse();
				return scaleTo([outer, hole], area);
			}
			return scaleTo([outer], area);
		}
	}
}

/** A verge following a curved street: an annulus sector, many vertices like real BGT. */
function curvedStrip(rng: Rng, width: number, length: number): LocalShape {
	const radius = Math.max(length / 2.5, rng.range(20, 200));
	const sweep = length / radius;
	const steps = Math.max(4, Math.ceil(sweep / 0.08));
	const inner: Ring2 = [];
	const outer: Ring2 = [];
	for (let i = 0; i <= steps; i++) {
		const t = -sweep / 2 + (sweep * i) / steps - Math.PI / 2;
		outer.push([radius * Math.cos(t), radius * Math.sin(t) + radius]);
		inner.push([(radius - width) * Math.cos(t), (radius - width) * Math.sin(t) + radius]);
	}
	const ring = [...outer, ...inner.reverse()];
	// Centre it on its own bounding box, so placement sees a compact footprint.
	const ys = ring.map((p) => p[1]);
	const dy = (Math.min(...ys) + Math.max(...ys)) / 2;
	const centred = ring.map(([x, y]) => [x, y - dy] as [number, number]);
	return { rings: [centred], area: ringArea(centred) };
}

// ---------------------------------------------------------------------------------------
// Placement

const CELL = 0.5; // metres
const EARTH_RADIUS = 6371008.8; // the sphere turf.area uses
const M_PER_DEG = (EARTH_RADIUS * Math.PI) / 180;
const FREE = 0;
const BLOCKED = 1; // outside the neighbourhood or on its boundary
const TAKEN = 2;

/** A neighbourhood rasterised in its own metric frame. */
class Site {
	readonly lon0: number;
	readonly lat0: number;
	readonly mPerDegLon: number;
	readonly cos: number;
	readonly sin: number;
	readonly u0: number;
	readonly v0: number;
	readonly width: number;
	readonly height: number;
	readonly grid: Uint8Array;
	readonly freeCells: number;

	constructor(n: NeighbourhoodInput, streetAngle: number) {
		let minLon = Infinity,
			maxLon = -Infinity,
			minLat = Infinity,
			maxLat = -Infinity;
		for (const rings of n.polygons)
			for (const [lon, lat] of rings[0]) {
				minLon = Math.min(minLon, lon);
				maxLon = Math.max(maxLon, lon);
				minLat = Math.min(minLat, lat);
				maxLat = Math.max(maxLat, lat);
			}
		this.lon0 = (minLon + maxLon) / 2;
		this.lat0 = (minLat + maxLat) / 2;
		this.mPerDegLon = M_PER_DEG * Math.cos((this.lat0 * Math.PI) / 180);
		this.cos = Math.cos(streetAngle);
		this.sin = Math.sin(streetAngle);

		const rings = n.polygons.flatMap((p) => p.map((r) => r.map(([lon, lat]) => this.toFrame(lon, lat))));
		let u0 = Infinity,
			v0 = Infinity,
			u1 = -Infinity,
			v1 = -Infinity;
		for (const r of rings)
			for (const [u, v] of r) {
				u0 = Math.min(u0, u);
				v0 = Math.min(v0, v);
				u1 = Math.max(u1, u);
				v1 = Math.max(v1, v);
			}
		this.u0 = u0 - CELL;
		this.v0 = v0 - CELL;
		this.width = Math.ceil((u1 - this.u0) / CELL) + 2;
		this.height = Math.ceil((v1 - this.v0) / CELL) + 2;
		this.grid = new Uint8Array(this.width * this.height).fill(BLOCKED);
		this.fillInterior(rings);
		this.blockBoundary(rings);
		let free = 0;
		for (let i = 0; i < this.grid.length; i++) if (this.grid[i] === FREE) free++;
		this.freeCells = free;
	}

	toFrame(lon: number, lat: number): [number, number] {
		const x = (lon - this.lon0) * this.mPerDegLon;
		const y = (lat - this.lat0) * M_PER_DEG;
		return [x * this.cos + y * this.sin, -x * this.sin + y * this.cos];
	}

	toLonLat(u: number, v: number): [number, number] {
		const x = u * this.cos - v * this.sin;
		const y = u * this.sin + v * this.cos;
		return [round7(this.lon0 + x / this.mPerDegLon), round7(this.lat0 + y / M_PER_DEG)];
	}

	/** Even-odd scanline fill at cell centres: holes and multipolygons come out right. */
	private fillInterior(rings: [number, number][][]): void {
		const crossings: number[] = [];
		for (let j = 0; j < this.height; j++) {
			const v = this.v0 + (j + 0.5) * CELL;
			crossings.length = 0;
			for (const r of rings) {
				for (let i = 0, k = r.length - 1; i < r.length; k = i++) {
					const [ua, va] = r[k];
					const [ub, vb] = r[i];
					if (va <= v !== vb <= v) crossings.push(ua + ((v - va) / (vb - va)) * (ub - ua));
				}
			}
			crossings.sort((a, b) => a - b);
			for (let c = 0; c + 1 < crossings.length; c += 2) {
				const from = Math.max(0, Math.ceil((crossings[c] - this.u0) / CELL - 0.5));
				const to = Math.min(this.width - 1, Math.floor((crossings[c + 1] - this.u0) / CELL - 0.5));
				this.grid.fill(FREE, j * this.width + from, j * this.width + to + 1);
			}
		}
	}

	/**
	 * Blocks every cell the boundary passes through, and their neighbours: then a free
	 * cell lies wholly inside, with a margin for rounding coordinates to 7 decimals.
	 */
	private blockBoundary(rings: [number, number][][]): void {
		for (const r of rings) {
			for (let i = 0, k = r.length - 1; i < r.length; k = i++) {
				const [ua, va] = r[k];
				const [ub, vb] = r[i];
				const steps = Math.ceil(Math.hypot(ub - ua, vb - va) / (CELL / 4)) + 1;
				for (let s = 0; s <= steps; s++) {
					const ci = Math.floor((ua + ((ub - ua) * s) / steps - this.u0) / CELL);
					const cj = Math.floor((va + ((vb - va) * s) / steps - this.v0) / CELL);
					for (let dj = -1; dj <= 1; dj++)
						for (let di = -1; di <= 1; di++) {
							const x = ci + di;
							const y = cj + dj;
							if (x >= 0 && y >= 0 && x < this.width && y < this.height)
								this.grid[y * this.width + x] = BLOCKED;
						}
				}
			}
		}
	}

	/**
	 * Tries to put a footprint (bounding box in the frame, relative to its centre) at a
	 * random free spot; returns the centre, or null. With `overlap`, other plots don't count.
	 */
	place(
		rng: Rng,
		box: [number, number, number, number],
		tries: number,
		overlap: boolean
	): [number, number] | null {
		const limit = overlap ? BLOCKED : TAKEN;
		for (let t = 0; t < tries; t++) {
			const cu = this.u0 + rng.next() * this.width * CELL;
			const cv = this.v0 + rng.next() * this.height * CELL;
			const ci = Math.floor((cu - this.u0) / CELL);
			const cj = Math.floor((cv - this.v0) / CELL);
			const centre = this.grid[cj * this.width + ci];
			if (centre === BLOCKED || (!overlap && centre === TAKEN)) continue;
			const i0 = Math.floor((cu + box[0] - this.u0) / CELL);
			const j0 = Math.floor((cv + box[1] - this.v0) / CELL);
			const i1 = Math.floor((cu + box[2] - this.u0) / CELL);
			const j1 = Math.floor((cv + box[3] - this.v0) / CELL);
			if (i0 < 0 || j0 < 0 || i1 >= this.width || j1 >= this.height) continue;
			let ok = true;
			for (let j = j0; ok && j <= j1; j++) {
				const row = j * this.width;
				for (let i = i0; i <= i1; i++) {
					const cell = this.grid[row + i];
					if (cell === BLOCKED || (cell === TAKEN && !overlap)) {
						ok = false;
						break;
					}
				}
			}
			if (!ok) continue;
			for (let j = j0; j <= j1; j++) this.grid.fill(TAKEN, j * this.width + i0, j * this.width + i1 + 1);
			return [cu, cv];
		}
		return null;
	}
}

function round7(x: number): number {
	return Math.round(x * 1e7) / 1e7;
}

function rotate(rings: Ring2[], angle: number): Ring2[] {
	const c = Math.cos(angle);
	const s = Math.sin(angle);
	return rings.map((r) => r.map(([x, y]) => [x * c - y * s, x * s + y * c] as [number, number]));
}

function boundsOf(ring: Ring2): [number, number, number, number] {
	let a = Infinity,
		b = Infinity,
		c = -Infinity,
		d = -Infinity;
	for (const [x, y] of ring) {
		a = Math.min(a, x);
		b = Math.min(b, y);
		c = Math.max(c, x);
		d = Math.max(d, y);
	}
	return [a, b, c, d];
}

/** Splits `total` over weights with largest remainders, so the parts add up exactly. */
function apportion(total: number, weights: number[]): number[] {
	const sum = weights.reduce((s, w) => s + w, 0);
	const exact = weights.map((w) => (total * w) / sum);
	const parts = exact.map(Math.floor);
	let rest = total - parts.reduce((s, p) => s + p, 0);
	const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
	for (let k = 0; rest > 0; k = (k + 1) % order.length, rest--) parts[order[k][1]]++;
	return parts;
}

/** Approximate planar area of a lon/lat ring in m², for apportioning plots by size. */
function approxAreaM2(n: NeighbourhoodInput): number {
	let total = 0;
	for (const rings of n.polygons) {
		rings.forEach((ring, i) => {
			const k = Math.cos((ring[0][1] * Math.PI) / 180) * M_PER_DEG * M_PER_DEG;
			const a = Math.abs(ringArea(ring.map((p) => [p[0], p[1]] as [number, number]))) * k;
			total += i === 0 ? a : -a;
		});
	}
	return total;
}

interface Drawn {
	kind: ShapeKind;
	bgt: readonly [string, string];
	area: number;
}

/**
 * Generates the plots, neighbourhood by neighbourhood (one occupancy grid in memory at a
 * time). Yields each plot; returns a summary. Throws on options that cannot work.
 */
export function* generateSyntheticPlots(
	neighbourhoods: NeighbourhoodInput[],
	options: SyntheticOptions
): Generator<SyntheticPlot, SyntheticSummary> {
	if (!Number.isInteger(options.plots) || options.plots < 1) throw new Error('plots must be a positive integer');
	if (neighbourhoods.length === 0) throw new Error('no neighbourhoods to place plots in');
	const rng = new Rng(seededRandom(options.seed));
	const areas = neighbourhoods.map(approxAreaM2);
	const totalArea = areas.reduce((s, a) => s + a, 0);
	const mean = meanArea();
	const room = ((options.maxCoverage ?? 0.35) * totalArea) / options.plots - mean.fixed;
	const sizeScale = Math.max(0.05, Math.min(1, room / mean.scaling));
	const counts = apportion(options.plots, areas);
	let next = 1;
	let shrunk = 0;
	let overlapping = 0;
	let carried = 0; // plots of a neighbourhood too small to hold any, moved to the next one

	for (let n = 0; n < neighbourhoods.length; n++) {
		const wanted = counts[n] + carried;
		carried = 0;
		if (wanted === 0) continue;
		const streetAngle = rng.range(0, Math.PI / 2);
		const site = new Site(neighbourhoods[n], streetAngle);
		if (site.freeCells < 16) {
			carried = wanted;
			continue;
		}
		// Draw all sizes first and place the largest first, as one packs a box.
		const drawn: Drawn[] = [];
		for (let i = 0; i < wanted; i++) {
			const kind = rng.pick(SHAPE_WEIGHTS);
			const spec = SHAPES[kind];
			const drawnArea = rng.logNormal(spec.median, spec.sigma, spec.min, spec.max);
			const area = spec.scales ? Math.max(1, drawnArea * sizeScale) : drawnArea;
			drawn.push({ kind, bgt: rng.pick(spec.kinds), area });
		}
		drawn.sort((a, b) => b.area - a.area);

		for (const d of drawn) {
			let area = d.area;
			let placed = tryPlace(rng, site, d.kind, area, 40, false);
			// No room: halve it (a few times) before letting it overlap another plot.
			for (let attempt = 0; attempt < 5 && !placed; attempt++) {
				area = Math.max(1, area * 0.5);
				placed = tryPlace(rng, site, d.kind, area, 40, false);
			}
			placed ??= tryPlace(rng, site, d.kind, area, 400, true);
			placed ??= tryPlace(rng, site, 'treePit', 1, 100_000, true);
			if (!placed) throw new Error(`could not place a plot in ${neighbourhoods[n].name}`);
			if (area < d.area || placed.shape.area < area / 2) shrunk++;
			if (placed.overlap) overlapping++;
			const id = `${SYNTHETIC_ID_PREFIX}${next++}`;
			const [cu, cv] = placed.at;
			const coordinates = placed.shape.rings.map((ring) => {
				const out = ring.map(([x, y]) => site.toLonLat(cu + x, cv + y));
				out.push(out[0]);
				return out;
			});
			yield {
				feature: {
					type: 'Feature',
					id,
					properties: bgtProperties(rng, id, options.owner, d.bgt),
					geometry: { type: 'Polygon', coordinates }
				},
				neighbourhood: n,
				shape: d.kind,
				areaM2: placed.shape.area
			};
		}
	}
	if (carried > 0) throw new Error('the neighbourhoods are too small to hold any plots');
	return { plots: next - 1, sizeScale, shrunk, overlapping };
}

function tryPlace(
	rng: Rng,
	site: Site,
	kind: ShapeKind,
	area: number,
	tries: number,
	overlap: boolean
): { shape: LocalShape; at: [number, number]; overlap: boolean } | null {
	const local = drawShape(rng, kind, area);
	// Beds, verges and lawns follow the street grid (with a little play); blobs don't.
	const aligned = kind !== 'irregular' && kind !== 'park';
	const angle = aligned ? rng.int(0, 1) * (Math.PI / 2) + rng.normal() * 0.02 : rng.range(0, Math.PI);
	const rings = rotate(local.rings, angle);
	const at = site.place(rng, boundsOf(rings[0]), tries, overlap);
	return at ? { shape: { rings, area: local.area }, at, overlap } : null;
}

function bgtProperties(
	rng: Rng,
	id: string,
	owner: string,
	[fysiek, plus]: readonly [string, string]
): SyntheticPlotProperties {
	const created = new Date(Date.UTC(2012, 0, 1) + Math.floor(rng.range(0, 12 * 365)) * 86_400_000);
	const registered = new Date(created.getTime() + Math.floor(rng.range(1, 60)) * 86_400_000 + 43_200_000);
	return {
		lokaalID: id,
		bronhouder: owner,
		bgt_status: 'bestaand',
		plus_status: 'geenWaarde',
		creationDate: created.toISOString().slice(0, 10),
		tijdstipRegistratie: registered.toISOString().slice(0, 19),
		relatieveHoogteligging: 0,
		inOnderzoek: false,
		fysiekVoorkomen: fysiek,
		plus_fysiekVoorkomen: plus,
		opTalud: false
	};
}

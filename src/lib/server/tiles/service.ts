import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip, gzipSync } from 'node:zlib';
import {
	mapPlotFilters,
	mapPlotFiltersQuery,
	NO_MAP_FILTERS,
	type MapPlotFilters
} from '#lib/domain/plot-filters.js';
import { localDay } from '#lib/domain/activity.js';
import type { TileCoord } from '#lib/geo/tiles.js';
import { dataVersions, getDatabase, type Database } from '#server/db';
import { ByteLru } from './cache';
import { TILE_FORMAT, TILESETS, type TilesetName } from './layers';
import { renderInJavaScript, renderWithPostgis } from './render';

export interface RenderedTile {
	/** Strong ETag (quoted), derived from the database's data version: equal across processes. */
	etag: string;
	/** The encoded tile; null when the tile has no features. */
	body: Uint8Array | null;
	/** The same tile gzipped, for clients that accept it (tiles shrink to about half). */
	gzipped: Uint8Array | null;
}

export type TileRenderer = 'postgis' | 'javascript';

export interface TileServiceOptions {
	database?: () => Database;
	/**
	 * How long one read of data_versions is trusted. This is the most a tile can lag behind
	 * a change made by another process; 0 reads it on every request.
	 */
	versionTtlMs?: number;
	/** Budget of the in-process cache of rendered tiles. */
	cacheBytes?: number;
	/** Force a renderer; by default ST_AsMVT on PostgreSQL, JavaScript on the embedded database. */
	renderer?: TileRenderer;
	/** The clock daily tile sets (the map of care) take their day from; tests move it. */
	now?: () => Date;
}

const gzipAsync = promisify(gzip);
const shortHash = (text: string) => createHash('sha1').update(text).digest('base64url').slice(0, 20);
const ALL_DATA_SETS = [...new Set(Object.values(TILESETS).flatMap((t) => t.dataSets))];

export function createTileService(options: TileServiceOptions = {}) {
	const database = options.database ?? (() => getDatabase());
	const versionTtlMs = options.versionTtlMs ?? 1000;
	const today = () => localDay(options.now?.() ?? new Date());
	const cache = new ByteLru<RenderedTile>(options.cacheBytes ?? 64 * 1024 * 1024, (t) => 200 + (t.body?.length ?? 0) + (t.gzipped?.length ?? 0));
	const rendering = new Map<string, Promise<RenderedTile>>();
	let versions: { readAt: number; value: Promise<Record<string, string>> } | undefined;
	/** The last read that has come back, for the synchronous peekTile(). */
	let settled: { readAt: number; value: Record<string, string> } | undefined;
	let lastSeen: Record<string, string> = {};
	const hashes = new Map<string, string>();

	async function readVersions(): Promise<Record<string, string>> {
		const value = await dataVersions(database().db, ALL_DATA_SETS);
		// A changed data set makes the cached tiles of every tile set keyed on it old: drop them
		// rather than let dead entries crowd out live ones. Only those: a care entry logged (the
		// map of care's 'activities') must not empty the public map's cache.
		const changed = ALL_DATA_SETS.filter((d) => value[d] !== lastSeen[d]);
		if (changed.length > 0) {
			const stale = new Set(Object.values(TILESETS).filter((t) => t.dataSets.some((d) => changed.includes(d))).map((t) => `${t.name}/`));
			if (stale.size === Object.keys(TILESETS).length) cache.clear();
			else cache.deleteWhere((key) => stale.has(key.slice(0, key.indexOf('/') + 1)));
			lastSeen = value;
		}
		return value;
	}

	/** The data version a tile set's tiles are keyed on; one cheap query per versionTtlMs. */
	async function tilesetVersion(name: TilesetName): Promise<string> {
		return versionOf(name, await tilesetVersionsRead());
	}

	async function tilesetVersionsRead(): Promise<Record<string, string>> {
		const now = Date.now();
		if (!versions || now - versions.readAt >= versionTtlMs) {
			const value = readVersions();
			versions = { readAt: now, value };
			value.then(
				(read) => {
					if (versions?.value === value) settled = { readAt: now, value: read };
				},
				() => {
					if (versions?.value === value) versions = undefined;
				}
			);
		}
		return versions.value;
	}

	/** A daily tile set's version names the day too: its tiles change at midnight without any write. */
	function versionOf(name: TilesetName, all: Record<string, string>, day?: string): string {
		const parts = TILESETS[name].dataSets.map((d) => `${d}=${all[d] ?? '0'}`);
		if (TILESETS[name].daily) parts.push(`day=${day ?? today()}`);
		const plain = `${TILE_FORMAT}|${database().kind}|${name}|${parts.join('|')}`;
		let hashed = hashes.get(plain);
		if (!hashed) {
			if (hashes.size > 100) hashes.clear();
			hashed = shortHash(plain);
			hashes.set(plain, hashed);
		}
		return hashed;
	}

	function render(name: TilesetName, tile: TileCoord, filters: MapPlotFilters = NO_MAP_FILTERS, day?: string): Promise<Uint8Array | null> {
		const db = database();
		const renderer = options.renderer ?? (db.kind === 'postgres' ? 'postgis' : 'javascript');
		if (renderer === 'javascript') return renderInJavaScript(db.db, TILESETS[name], tile, filters, day);
		return renderWithPostgis(db.driver.kind === 'postgres' ? db.driver.pool : db.db, TILESETS[name], tile, filters, day);
	}

	function etagOf(version: string, query: string): string {
		return `"${query ? shortHash(`${version}?${query}`) : version}"`;
	}

	/**
	 * The ETag a tile has now, from the data version and the filters alone: what a tile would
	 * be rendered with, known without rendering it (so a revalidation costs one cached read).
	 */
	async function tileEtag(name: TilesetName, filters: MapPlotFilters = NO_MAP_FILTERS): Promise<string> {
		return etagOf(await tilesetVersion(name), filtersQuery(name, filters));
	}

	/**
	 * A tile from the cache, or rendered once however many requests ask for it at the same time.
	 * Filtered plot tiles are keyed on the filters' canonical query, so equal filters share an
	 * entry and an ETag; unfiltered tiles keep their key and ETag.
	 */
	async function getTile(name: TilesetName, tile: TileCoord, filters: MapPlotFilters = NO_MAP_FILTERS): Promise<RenderedTile> {
		// One day for the key and the rendering, so a tile rendered over midnight is keyed as what it shows.
		const day = TILESETS[name].daily ? today() : undefined;
		const version = versionOf(name, await tilesetVersionsRead(), day);
		const query = filtersQuery(name, filters);
		const key = cacheKey(name, tile, query, version);
		const hit = cache.get(key);
		if (hit) return hit;
		let pending = rendering.get(key);
		if (!pending) {
			// Rendered from exactly the fields the key is made of (a full PlotFilters passed in
			// must not bring its search along), so a cache entry holds what its key says.
			const keyed = query ? mapPlotFilters(filters) : NO_MAP_FILTERS;
			pending = render(name, tile, keyed, day).then(async (body) => {
				// Compressed once here rather than per response, so cached tiles cost no CPU. Level 1:
				// measured on 200,000 plots, tiles come out 1-3% larger than at level 6 (z14 131 KB
				// instead of 128) in a quarter of the time (z14 6 ms instead of 24; z17 0.3 ms
				// instead of 0.5, which was a tenth of an uncached z17 tile).
				// A small tile is compressed on the spot: handing it to the thread pool and back took
				// longer than compressing it (z17, 14 KB: 0.43 ms against 0.24).
				const gzipped =
					!body || body.length <= 256
						? null
						: new Uint8Array(body.length <= 32 * 1024 ? gzipSync(body, { level: 1 }) : await gzipAsync(body, { level: 1 }));
				const rendered = { etag: etagOf(version, query), body, gzipped };
				cache.set(key, rendered);
				return rendered;
			});
			rendering.set(key, pending);
			pending.then(
				() => rendering.delete(key),
				() => rendering.delete(key)
			);
		}
		return pending;
	}

	/**
	 * The cached tile, without waiting for anything: undefined unless it is cached and the
	 * last read of data_versions is younger than versionTtlMs, so it is never older than what
	 * getTile() would answer. For the server's fast path in front of the framework.
	 */
	function peekTile(name: TilesetName, tile: TileCoord, filters: MapPlotFilters = NO_MAP_FILTERS): RenderedTile | undefined {
		if (!settled || !versionIsFresh()) return undefined;
		return cache.get(cacheKey(name, tile, filtersQuery(name, filters), versionOf(name, settled.value)));
	}

	/** Whether the last read of data_versions that came back is still trusted (versionTtlMs). */
	function versionIsFresh(): boolean {
		return settled !== undefined && Date.now() - settled.readAt < versionTtlMs;
	}

	return {
		getTile,
		tileEtag,
		peekTile,
		versionIsFresh,
		/** Renders without the cache or version check (benchmarks compare this with the endpoint). */
		render,
		tilesetVersion,
		cacheStats: () => ({ entries: cache.size, bytes: cache.bytes })
	};
}

/** Only the plots are filtered; other tile sets ignore filters rather than split their cache. */
function filtersQuery(name: TilesetName, filters: MapPlotFilters): string {
	return name === 'plots' && filters !== NO_MAP_FILTERS ? mapPlotFiltersQuery(filters) : '';
}

function cacheKey(name: TilesetName, tile: TileCoord, query: string, version: string): string {
	return `${name}/${tile.z}/${tile.x}/${tile.y}${query ? `?${query}` : ''}@${version}`;
}

export type TileService = ReturnType<typeof createTileService>;

let shared: TileService | undefined;

/** The app's tile service, on the app's database. */
export function getTileService(): TileService {
	shared ??= createTileService();
	return shared;
}

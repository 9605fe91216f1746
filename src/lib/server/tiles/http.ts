import { mapPlotFilters, NO_MAP_FILTERS, parsePlotFilters } from '#lib/domain/plot-filters.js';
import { parseTileCoord } from '#lib/geo/tiles.js';
import { etagMatches } from '#server/http';
import { TILESETS, type TilesetName } from './layers';
import { getTileService, type RenderedTile, type TileService } from './service';

export const TILE_CONTENT_TYPE = 'application/vnd.mapbox-vector-tile';
/**
 * Browsers and proxies may reuse a tile for a few seconds, then must ask again; the ETag
 * makes asking cheap (304). A few seconds is the freshness the map promises after a change.
 */
export const TILE_CACHE_CONTROL = 'public, max-age=5, must-revalidate';
/** Staff tiles (the map of care) are the signed-in manager's: no shared cache may keep them. */
export const STAFF_TILE_CACHE_CONTROL = 'private, max-age=5, must-revalidate';

/** The ETag of a tile's gzipped representation. */
function gzipEtag(etag: string): string {
	return etag.replace(/"$/, '-gz"');
}

function acceptsGzip(acceptEncoding: string | null): boolean {
	if (!acceptEncoding) return false;
	return acceptEncoding.split(',').some((part) => {
		const [coding, ...params] = part.trim().toLowerCase().split(';');
		const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
		return (coding === 'gzip' || coding === 'x-gzip') && (!q || Number(q.slice(2)) > 0);
	});
}

/** What a tile answer depends on besides the URL's path. */
export interface TileRequestHeaders {
	acceptEncoding: string | null;
	ifNoneMatch: string | null;
}

/**
 * The HTTP side of GET /tiles/{tileset}/{z}/{x}/{y}.mvt, on web Request/Response so the route
 * stays thin and tests and benchmarks can serve it without SvelteKit.
 *   200 with the tile (gzipped when the client accepts it); 204 when the tile has no
 *   features; 304 when If-None-Match matches; 400 when z/x/y are not a tile.
 * Plot tiles take the list's filters as query parameters (neighbourhood, state, kind, min_m2,
 * max_m2) and then hold only matching plots. As on the list, a value that makes no sense is
 * dropped (that filter is off) rather than answered with an error, and other parameters are
 * ignored: a URL with only such values is the unfiltered tile, with its ETag.
 */
export async function tileResponse(
	request: Request,
	tileset: TilesetName,
	params: Record<string, string | undefined>,
	service: TileService = getTileService()
): Promise<Response> {
	const headers = { acceptEncoding: request.headers.get('accept-encoding'), ifNoneMatch: request.headers.get('if-none-match') };
	return toResponse(await tileAnswerFor(tileset, params, new URL(request.url).searchParams, headers, service));
}

/**
 * tileResponse() without web Request/Response: the status, headers and body, for the route
 * and for `npm start`'s server, which answers tiles before the framework (fast-path.ts).
 */
export async function tileAnswerFor(
	tileset: TilesetName,
	params: Record<string, string | undefined>,
	searchParams: URLSearchParams,
	{ acceptEncoding, ifNoneMatch }: TileRequestHeaders,
	service: TileService = getTileService()
): Promise<TileAnswer> {
	const parsed = parseTileCoord(params);
	if (!parsed.ok) {
		return {
			status: 400,
			headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
			body: new TextEncoder().encode(`Not a tile: ${parsed.error}\n`)
		};
	}
	const filters = tileFilters(searchParams);
	// A revalidation is answered from the data version alone, before (and instead of) rendering:
	// after a restart the cache is empty, and a map full of 304s must not render every tile.
	if (ifNoneMatch) {
		const unchanged = notModified(await service.tileEtag(tileset, filters), acceptEncoding, ifNoneMatch, tileset);
		if (unchanged) return unchanged;
	}
	const tile = await service.getTile(tileset, parsed.tile, filters);
	return tileAnswer(tile, acceptEncoding, ifNoneMatch, tileset);
}

/** The service applies filters to the plots only; other tile sets ignore them. */
function tileFilters(searchParams: URLSearchParams) {
	return searchParams.size > 0 ? mapPlotFilters(parsePlotFilters(searchParams)) : NO_MAP_FILTERS;
}

export interface TileAnswer {
	status: 200 | 204 | 304 | 400;
	headers: Record<string, string>;
	body: Uint8Array | null;
}

function toResponse(answer: TileAnswer): Response {
	return new Response(answer.body as Uint8Array<ArrayBuffer> | null, { status: answer.status, headers: answer.headers });
}

const COMMON_HEADERS = {
	'cache-control': TILE_CACHE_CONTROL,
	vary: 'Accept-Encoding',
	'access-control-allow-origin': '*'
} as const;
const STAFF_HEADERS = { 'cache-control': STAFF_TILE_CACHE_CONTROL, vary: 'Accept-Encoding, Cookie' } as const;

function commonHeaders(tileset: TilesetName): Record<string, string> {
	return TILESETS[tileset].staff ? STAFF_HEADERS : COMMON_HEADERS;
}

/**
 * A 304 when If-None-Match names the tile's ETag. Each encoding is its own representation with
 * its own ETag (RFC 9110 §8.8.3), both derived from the same data version, so a 304 for either
 * is true; the 304 names the representation the client holds.
 */
function notModified(etag: string, acceptEncoding: string | null, ifNoneMatch: string | null, tileset: TilesetName): TileAnswer | undefined {
	const gzipped = gzipEtag(etag);
	if (!etagMatches(ifNoneMatch, etag) && !etagMatches(ifNoneMatch, gzipped)) return undefined;
	const held = acceptsGzip(acceptEncoding) && etagMatches(ifNoneMatch, gzipped) && !etagMatches(ifNoneMatch, etag) ? gzipped : etag;
	return { status: 304, headers: { ...commonHeaders(tileset), etag: held }, body: null };
}

/** The answer for a rendered tile: one place for its status, headers and body, whoever sends it. */
function tileAnswer(tile: RenderedTile, acceptEncoding: string | null, ifNoneMatch: string | null, tileset: TilesetName): TileAnswer {
	const unchanged = notModified(tile.etag, acceptEncoding, ifNoneMatch, tileset);
	if (unchanged) return unchanged;
	const gzip = tile.gzipped !== null && acceptsGzip(acceptEncoding);
	const headers: Record<string, string> = { ...commonHeaders(tileset), etag: gzip ? gzipEtag(tile.etag) : tile.etag };
	if (!tile.body) return { status: 204, headers, body: null };
	const body = gzip ? tile.gzipped! : tile.body;
	if (gzip) headers['content-encoding'] = 'gzip';
	return {
		status: 200,
		headers: { ...headers, 'content-type': TILE_CONTENT_TYPE, 'content-length': String(body.length) },
		body
	};
}

/**
 * What tileResponse() would answer, when the tile is in the cache and the data version is
 * fresh (TileService.peekTile); undefined otherwise, and for anything that is not a tile, so
 * the caller hands the request on to tileResponse(). Synchronous.
 */
export function cachedTileAnswer(
	tileset: TilesetName,
	params: Record<string, string | undefined>,
	searchParams: URLSearchParams,
	headers: TileRequestHeaders,
	service: TileService = getTileService()
): TileAnswer | undefined {
	const parsed = parseTileCoord(params);
	// Staff tiles need the session checked, which only the framework's route does.
	if (!parsed.ok || TILESETS[tileset].staff) return undefined;
	const tile = service.peekTile(tileset, parsed.tile, tileFilters(searchParams));
	return tile && tileAnswer(tile, headers.acceptEncoding, headers.ifNoneMatch, tileset);
}

/**
 * For the server's fast path (src/lib/server/fast-path.ts): a cached tile's answer at once
 * (cachedTileAnswer), any other tile's as a promise of what tileResponse() answers, while
 * the last read of the data version is fresh (TileService.versionIsFresh). Undefined for
 * what is not a tile and while the version read is stale: those go to the framework, which
 * reads the version again (so `PERKJE_TILE_FAST_PATH`'s comparison keeps a way through it).
 */
export function fastTileAnswer(
	tileset: TilesetName,
	params: Record<string, string | undefined>,
	searchParams: URLSearchParams,
	headers: TileRequestHeaders,
	service: TileService = getTileService()
): TileAnswer | Promise<TileAnswer> | undefined {
	// Staff tiles need the session checked, which only the framework's route does.
	if (TILESETS[tileset].staff || !service.versionIsFresh() || !parseTileCoord(params).ok) return undefined;
	return cachedTileAnswer(tileset, params, searchParams, headers, service) ?? tileAnswerFor(tileset, params, searchParams, headers, service);
}

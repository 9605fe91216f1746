import { mapPlotFilters, NO_MAP_FILTERS, parsePlotFilters } from '#lib/domain/plot-filters.js';
import { parseTileCoord } from '#lib/geo/tiles.js';
import type { TilesetName } from './layers';
import { getTileService, type TileService } from './service';

export const TILE_CONTENT_TYPE = 'application/vnd.mapbox-vector-tile';
/**
 * Browsers and proxies may reuse a tile for a few seconds, then must ask again; the ETag
 * makes asking cheap (304). A few seconds is the freshness the map promises after a change.
 */
export const TILE_CACHE_CONTROL = 'public, max-age=5, must-revalidate';

/** True when If-None-Match names this ETag (or is "*"); weak and strong forms both match. */
export function etagMatches(ifNoneMatch: string | null, etag: string): boolean {
	if (!ifNoneMatch) return false;
	const plain = (tag: string) => tag.trim().replace(/^W\//, '');
	return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || plain(tag) === plain(etag));
}

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
	const parsed = parseTileCoord(params);
	if (!parsed.ok) {
		return new Response(`Not a tile: ${parsed.error}\n`, {
			status: 400,
			headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }
		});
	}
	const { searchParams } = new URL(request.url);
	// The service applies filters to the plots only; other tile sets ignore them.
	const filters = searchParams.size > 0 ? mapPlotFilters(parsePlotFilters(searchParams)) : NO_MAP_FILTERS;
	const ifNoneMatch = request.headers.get('if-none-match');
	const gzipAccepted = acceptsGzip(request.headers.get('accept-encoding'));
	const common = {
		'cache-control': TILE_CACHE_CONTROL,
		vary: 'Accept-Encoding',
		'access-control-allow-origin': '*'
	};
	// A revalidation is answered from the data version alone, before (and instead of) rendering:
	// after a restart the cache is empty, and a map full of 304s must not render every tile.
	// Each encoding is its own representation with its own ETag (RFC 9110 §8.8.3), both derived
	// from the same data version, so a 304 for either is true.
	if (ifNoneMatch) {
		const etag = await service.tileEtag(tileset, filters);
		const gzipped = gzipEtag(etag);
		if (etagMatches(ifNoneMatch, etag) || etagMatches(ifNoneMatch, gzipped)) {
			// The 304 names the representation the client holds: the gzipped one if that is what it sent.
			const held = gzipAccepted && etagMatches(ifNoneMatch, gzipped) && !etagMatches(ifNoneMatch, etag) ? gzipped : etag;
			return new Response(null, { status: 304, headers: { ...common, etag: held } });
		}
	}
	const tile = await service.getTile(tileset, parsed.tile, filters);
	const gzip = tile.gzipped !== null && gzipAccepted;
	const headers: Record<string, string> = { ...common, etag: gzip ? gzipEtag(tile.etag) : tile.etag };
	if (!tile.body) return new Response(null, { status: 204, headers });
	const body = (gzip ? tile.gzipped! : tile.body) as Uint8Array<ArrayBuffer>;
	if (gzip) headers['content-encoding'] = 'gzip';
	return new Response(body, {
		status: 200,
		headers: { ...headers, 'content-type': TILE_CONTENT_TYPE, 'content-length': String(body.length) }
	});
}

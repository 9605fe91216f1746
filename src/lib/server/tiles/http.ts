import { parseTileCoord } from '../../geo/tiles';
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

/**
 * The HTTP side of GET /tiles/{tileset}/{z}/{x}/{y}.mvt, on web Request/Response so the route
 * stays thin and tests and benchmarks can serve it without SvelteKit.
 *   200 with the tile; 204 when the tile has no features; 304 when If-None-Match matches;
 *   400 when z/x/y are not a tile.
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
	const tile = await service.getTile(tileset, parsed.tile);
	const headers: Record<string, string> = {
		etag: tile.etag,
		'cache-control': TILE_CACHE_CONTROL,
		'access-control-allow-origin': '*'
	};
	if (etagMatches(request.headers.get('if-none-match'), tile.etag)) {
		return new Response(null, { status: 304, headers });
	}
	if (!tile.body) return new Response(null, { status: 204, headers });
	return new Response(tile.body as Uint8Array<ArrayBuffer>, {
		status: 200,
		headers: { ...headers, 'content-type': TILE_CONTENT_TYPE, 'content-length': String(tile.body.length) }
	});
}

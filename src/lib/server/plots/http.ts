import type { GeoJsonText } from './geojson';

/**
 * A GeoJSON response that a browser revalidates cheaply: the ETag is the data version, so an
 * unchanged data set costs a 304 and no body. `no-cache` (revalidate every time) rather than
 * a max-age, because a plot's state must show up as soon as it changes.
 */
export function geoJsonResponse(request: Request, geo: GeoJsonText): Response {
	const etag = `"${geo.version}"`;
	const headers = {
		'content-type': 'application/geo+json; charset=utf-8',
		'cache-control': 'public, no-cache',
		etag
	};
	if (request.headers.get('if-none-match') === etag) {
		return new Response(null, { status: 304, headers });
	}
	return new Response(geo.body, { headers });
}

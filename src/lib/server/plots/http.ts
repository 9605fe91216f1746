import { keysetPageParams, keysetPageQuery, type KeysetPage } from '#lib/domain/paging.js';
import type { Db } from '#server/db';
import { etagMatches } from '#server/http';
import {
	neighbourhoodsGeoJson,
	neighbourhoodsGeoJsonVersion,
	plotsGeoJsonPage,
	plotsGeoJsonVersion
} from './geojson';

/**
 * The GeoJSON downloads over HTTP. A browser or program revalidates them cheaply: the ETag is
 * the data version (plus the page asked for), read on its own before anything is built, so an
 * unchanged download costs one indexed row and a 304. `no-cache` (revalidate every time)
 * rather than a max-age, because a plot's state must show up as soon as it changes.
 */
const GEOJSON_TYPE = 'application/geo+json';
const GEOJSON_HEADERS = {
	'content-type': `${GEOJSON_TYPE}; charset=utf-8`,
	'cache-control': 'public, no-cache'
};

function notModified(request: Request, etag: string): boolean {
	return etagMatches(request.headers.get('if-none-match'), etag);
}

function plotsPageEtag(version: string, page: KeysetPage): string {
	const query = keysetPageQuery(page);
	return `"${version}${query ? `?${query}` : ''}"`;
}

function pageUrl(request: Request, page: KeysetPage): string {
	const url = new URL(request.url);
	url.search = keysetPageQuery(page);
	return url.href;
}

/**
 * GET /plots.geojson: one page of active plots (README, "The GeoJSON downloads").
 *   200 with a FeatureCollection that carries, as OGC API Features does, `numberReturned`,
 *   `numberMatched` and `links` (self, and next unless it is the last page), the next page also
 *   in a `Link: <…>; rel="next"` header; 304 when If-None-Match matches; 400 for a bad page.
 */
export async function plotsGeoJsonResponse(db: Db, request: Request): Promise<Response> {
	const parsed = keysetPageParams(new URL(request.url).searchParams);
	if (!parsed.ok) {
		return new Response(`${parsed.error}\n`, {
			status: 400,
			headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }
		});
	}
	const { page } = parsed;
	const current = plotsPageEtag(await plotsGeoJsonVersion(db), page);
	if (notModified(request, current)) return new Response(null, { status: 304, headers: { ...GEOJSON_HEADERS, etag: current } });

	const result = await plotsGeoJsonPage(db, page);
	const headers: Record<string, string> = { ...GEOJSON_HEADERS, etag: plotsPageEtag(result.version, page) };
	const links = [{ href: pageUrl(request, page), rel: 'self', type: GEOJSON_TYPE }];
	if (result.nextAfter !== null) {
		const next = pageUrl(request, { ...page, after: result.nextAfter });
		links.push({ href: next, rel: 'next', type: GEOJSON_TYPE });
		headers.link = `<${next}>; rel="next"; type="${GEOJSON_TYPE}"`;
	}
	const head = JSON.stringify({
		type: 'FeatureCollection',
		numberMatched: result.numberMatched,
		numberReturned: result.numberReturned,
		links
	});
	// The features stay the text the database wrote: spliced in, never parsed.
	return new Response(`${head.slice(0, -1)},"features":${result.features}}`, { headers });
}

/** GET /neighbourhoods.geojson: every neighbourhood (a municipality has a few hundred), 304 as above. */
export async function neighbourhoodsGeoJsonResponse(db: Db, request: Request): Promise<Response> {
	const current = `"${await neighbourhoodsGeoJsonVersion(db)}"`;
	if (notModified(request, current)) return new Response(null, { status: 304, headers: { ...GEOJSON_HEADERS, etag: current } });
	const geo = await neighbourhoodsGeoJson(db);
	return new Response(geo.body, { headers: { ...GEOJSON_HEADERS, etag: `"${geo.version}"` } });
}

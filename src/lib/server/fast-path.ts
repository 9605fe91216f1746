import type { IncomingHttpHeaders } from 'node:http';
import { getConfig } from '#server/config';
import { logRequest, requestIdFrom, securityHeaders } from '#server/http';
import { logger } from '#server/logging';
import { cachedTileAnswer, type TilesetName } from '#server/tiles';

/**
 * Cached map tiles answered before the framework. A map asks for dozens of tiles per pan, and
 * for a cached tile SvelteKit's per-request objects (Request, Response, AbortSignal, the
 * hooks' promises) cost far more than the tile: measured, the server reached half the
 * requests per second of a static file server on the same bytes. `npm start`'s server
 * (src/cli/start.ts) calls this first; it answers only what it can answer exactly as the
 * framework would, the same status, headers (security headers and request id included) and
 * body, and writes the same request log line. Anything else, a tile not in the cache, a data
 * version read longer than the tile service trusts one ago (TileService.peekTile), an
 * unusual request, is undefined and goes to SvelteKit as always.
 */
export interface FastAnswer {
	status: number;
	headers: Array<[string, string]>;
	body: Uint8Array | null;
}

/** What start-up leaves on the AppHandle for start.ts: only GET requests are passed in. */
export type FastPath = (pathname: string, search: string, headers: IncomingHttpHeaders) => FastAnswer | undefined;

/** The tile routes (src/routes/tiles/<tileset>/[z]/[x]/[y].mvt), plain digits only. */
const TILE_PATH = /^\/tiles\/(plots|neighbourhoods|basemap)\/(\d{1,2})\/(\d{1,9})\/(\d{1,9})\.mvt$/;
const SANE_HOST = /^[A-Za-z0-9.:[\]-]+$/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*$/;

export const answerCachedTile: FastPath = (pathname, search, headers) => {
	const started = performance.now();
	const match = TILE_PATH.exec(pathname);
	if (!match) return undefined;
	const tls = requestIsTls(headers);
	if (tls === undefined) return undefined;
	const [, tileset, z, x, y] = match;
	const answer = cachedTileAnswer(tileset as TilesetName, { z, x, y }, new URLSearchParams(search), {
		acceptEncoding: single(headers['accept-encoding']),
		ifNoneMatch: single(headers['if-none-match'])
	});
	if (!answer) return undefined;
	const requestId = requestIdFrom(single(headers['x-request-id']));
	const list: Array<[string, string]> = Object.entries(answer.headers);
	list.push(...securityHeadersFor(tls), ['x-request-id', requestId]);
	logRequest({ requestId, method: 'GET', path: pathname, route: `/tiles/${tileset}/[z]/[x]/[y].mvt` }, answer.status, started);
	logger.debug({ requestId }, 'answered from the tile cache');
	return { status: answer.status, headers: list, body: answer.body };
};

function single(value: string | string[] | undefined): string | null {
	return typeof value === 'string' ? value : null;
}

/** Made once: they depend on the configuration only, which does not change while running. */
const securityHeaderLists = new Map<boolean, Array<[string, string]>>();
function securityHeadersFor(tls: boolean): Array<[string, string]> {
	let list = securityHeaderLists.get(tls);
	if (!list) {
		list = securityHeaders({ tls });
		securityHeaderLists.set(tls, list);
	}
	return list;
}

/**
 * Whether SvelteKit would see this request as https (the HSTS header depends on it), by
 * adapter-node's rule: ORIGIN when set, else the PROTOCOL_HEADER's value, else https.
 * Undefined for what adapter-node would refuse or might read otherwise (no Host, several
 * values, a strange scheme): those go to the framework.
 */
function requestIsTls(headers: IncomingHttpHeaders): boolean | undefined {
	const host = headers.host;
	if (!host || !SANE_HOST.test(host)) return undefined;
	const { origin, protocolHeader } = getConfig().serve;
	if (origin) return origin.startsWith('https:');
	const value = protocolHeader ? headers[protocolHeader.toLowerCase()] : undefined;
	if (value === undefined || value === '') return true;
	if (typeof value !== 'string' || !SCHEME.test(value)) return undefined;
	return value.toLowerCase() === 'https';
}

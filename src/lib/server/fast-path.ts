import type { IncomingHttpHeaders } from 'node:http';
import { getConfig } from '#server/config';
import { cleanSearchParams, logRequest, requestIdFrom, securityHeaders } from '#server/http';
import { logger } from '#server/logging';
import { fastTileAnswer, type TileAnswer, type TilesetName } from '#server/tiles';

/**
 * Map tiles answered before the framework. A map asks for dozens of tiles per pan, and for a
 * tile SvelteKit's per-request objects (Request, Response, AbortSignal, the hooks' promises)
 * cost far more than a cached tile and a tenth of an uncached one at zoom 17: measured, the
 * server reached half the requests per second of a static file server on the same bytes.
 * `npm start`'s server (src/cli/start.ts) calls this first; it answers only what it can answer
 * exactly as the framework would, the same status, headers (security headers and request id
 * included) and body, and writes the same request log line. A cached tile is answered at
 * once; another is rendered by the same tile service (tileAnswerFor, which the route also
 * calls). Anything else, a data version read longer than the tile service trusts one ago
 * (TileService.versionIsFresh), an unusual request, a tile whose rendering failed, is
 * undefined and goes to SvelteKit as always.
 */
export interface FastAnswer {
	status: number;
	headers: Array<[string, string]>;
	body: Uint8Array | null;
}

/**
 * What start-up leaves on the AppHandle for start.ts: only GET requests are passed in. A
 * promise when the tile is rendered first; one that resolves to undefined, or fails, leaves
 * the request to the framework, nothing having been sent.
 */
export type FastPath = (pathname: string, search: string, headers: IncomingHttpHeaders) => FastAnswer | Promise<FastAnswer | undefined> | undefined;

/** The tile routes (src/routes/tiles/<tileset>/[z]/[x]/[y].mvt), plain digits only. */
const TILE_PATH = /^\/tiles\/(plots|neighbourhoods|basemap|reports)\/(\d{1,2})\/(\d{1,9})\/(\d{1,9})\.mvt$/;
const SANE_HOST = /^[A-Za-z0-9.:[\]-]+$/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*$/;

export const answerTile: FastPath = (pathname, search, headers) => {
	const started = performance.now();
	const match = TILE_PATH.exec(pathname);
	if (!match) return undefined;
	const tls = requestIsTls(headers);
	if (tls === undefined) return undefined;
	const [, tileset, z, x, y] = match;
	// The filters as the route reads them, after the input hook's clean-up (#server/http).
	const searchParams = search ? cleanSearchParams(search).params : new URLSearchParams();
	const answer = fastTileAnswer(tileset as TilesetName, { z, x, y }, searchParams, {
		acceptEncoding: single(headers['accept-encoding']),
		ifNoneMatch: single(headers['if-none-match'])
	});
	if (!answer) return undefined;
	const send = (tile: TileAnswer, how: string): FastAnswer | undefined => {
		// A 400 is the framework's to answer, as for anything else that is not a tile.
		if (tile.status === 400) return undefined;
		const requestId = requestIdFrom(single(headers['x-request-id']));
		const list: Array<[string, string]> = Object.entries(tile.headers);
		list.push(...securityHeadersFor(tls), ['x-request-id', requestId]);
		logRequest({ requestId, method: 'GET', path: pathname, route: `/tiles/${tileset}/[z]/[x]/[y].mvt` }, tile.status, started);
		logger.debug({ requestId }, how);
		return { status: tile.status, headers: list, body: tile.body };
	};
	return answer instanceof Promise ? answer.then((tile) => send(tile, 'rendered before the framework')) : send(answer, 'answered from the tile cache');
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

import type { IncomingMessage, ServerResponse } from 'node:http';
import { constants } from 'node:zlib';
import compression from 'compression';

/**
 * Compression of what the app builds per request (pages, JSON, GeoJSON), for the Node server
 * of `npm start` (src/cli/start.ts). The `compression` package negotiates Accept-Encoding
 * with its q-values (br preferred, then gzip), adds `Vary: Accept-Encoding`, and leaves alone:
 * HEAD, a response that is already encoded (gzipped tiles, the build's precompressed static
 * files), a type that does not shrink (images, fonts, tiles: it only compresses types known
 * to be compressible), bodies under 1 KB and `Cache-Control: no-transform`.
 */
const TINY_BYTES = 1024;

/** Quality 4 of 11: most of brotli's gain over gzip at about gzip's cost, right for content made per request. */
const DYNAMIC_BROTLI_QUALITY = 4;

export type NodeMiddleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

export function compressResponses(): NodeMiddleware {
	const middleware = compression({
		threshold: TINY_BYTES,
		// Every write is flushed, so a streamed page (SvelteKit streams awaited data) reaches
		// the browser piece by piece instead of when the compressor's buffer fills. A whole
		// page is written as one chunk, so this costs nothing there.
		flush: constants.Z_SYNC_FLUSH,
		brotli: {
			flush: constants.BROTLI_OPERATION_FLUSH,
			params: { [constants.BROTLI_PARAM_QUALITY]: DYNAMIC_BROTLI_QUALITY }
		},
		filter: (req, res) => !hasNoBody(res.statusCode) && compression.filter(req, res)
	});
	// Typed for Express; it uses nothing of Express beyond Node's own request and response.
	return middleware as unknown as NodeMiddleware;
}

/** 204 and 304 have no body: nothing to compress, and no Content-Encoding to claim. */
function hasNoBody(status: number): boolean {
	return status === 204 || status === 304;
}

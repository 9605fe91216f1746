import type { RequestHandler } from './$types';
// The icon's bytes, inlined by Vite: a file in static/ would be served without a Content-Type,
// because the static file server's type table has no entry for .ico.
import iconDataUrl from '#lib/assets/favicon.ico?inline';

/** Browsers ask for /favicon.ico whatever the page links to: the SVG icon as 16/32/48 px ICO. */
const icon = Buffer.from(iconDataUrl.slice(iconDataUrl.indexOf(',') + 1), 'base64');

export const GET: RequestHandler = () =>
	new Response(icon, {
		headers: { 'content-type': 'image/x-icon', 'cache-control': 'public, max-age=86400' }
	});

import type { Handle, RequestEvent } from '@sveltejs/kit';
import { getConfig, type Config } from '#server/config';
import { basemapOrigin } from './basemap-origin';

/**
 * Security headers on every response (cross-site writes are refused in origin.ts). Script
 * nonces come from SvelteKit's own CSP support (kit.csp in svelte.config.js sets `script-src`); this handler adds the rest of the policy to the same header, so
 * there is exactly one Content-Security-Policy and the origins it allows can come from
 * the environment (a basemap host) instead of being frozen into the build.
 */

/**
 * Extra origins for map tiles, styles and glyphs, e.g. "https://service.pdok.nl": the
 * configured basemap's own origin (./basemap-origin.ts), plus any listed in
 * PERKJE_CSP_ORIGINS (for a basemap whose style points at tiles on other hosts).
 */
function extraOrigins(map: Config['map']): string[] {
	const listed = map.cspOrigins;
	const basemap = basemapOrigin(map);
	return basemap && !listed.includes(basemap) ? [basemap, ...listed] : listed;
}

export function contentSecurityPolicy(map: Config['map'] = getConfig().map): string {
	const extra = extraOrigins(map);
	const directives: Record<string, string[]> = {
		'default-src': ["'self'"],
		// MapLibre and Svelte transitions set inline styles; CSS cannot run code.
		'style-src': ["'self'", "'unsafe-inline'"],
		'img-src': ["'self'", 'data:', 'blob:', ...extra],
		'font-src': ["'self'", 'data:'],
		'connect-src': ["'self'", ...extra],
		// MapLibre GL JS starts its workers from blob: URLs.
		'worker-src': ["'self'", 'blob:'],
		'child-src': ["'self'", 'blob:'],
		'object-src': ["'none'"],
		'base-uri': ["'self'"],
		'form-action': ["'self'"],
		'frame-ancestors': ["'none'"]
	};
	return Object.entries(directives)
		.map(([name, values]) => `${name} ${values.join(' ')}`)
		.join('; ');
}

/**
 * HSTS only where the app's own origin is https: ORIGIN, or PROTOCOL_HEADER from a proxy the
 * operator configured. A client's own X-Forwarded-Proto is not a reason to pin a host to TLS.
 */
function isTls(event: Pick<RequestEvent, 'url'>): boolean {
	return event.url.protocol === 'https:';
}

/**
 * The headers every response carries, in one list: `kitPolicy` is SvelteKit's own part of the
 * Content-Security-Policy (its script nonces or hashes), on pages only. Also sent by the
 * server's fast path for cached tiles (src/lib/server/fast-path.ts).
 */
export function securityHeaders(options: { tls: boolean; kitPolicy?: string | null }): Array<[string, string]> {
	const { tls, kitPolicy } = options;
	const headers: Array<[string, string]> = [
		['content-security-policy', kitPolicy ? `${kitPolicy}; ${contentSecurityPolicy()}` : contentSecurityPolicy()],
		['x-content-type-options', 'nosniff'],
		['referrer-policy', 'strict-origin-when-cross-origin'],
		['x-frame-options', 'DENY'],
		['permissions-policy', 'camera=(), microphone=(), geolocation=(self)'],
		['cross-origin-opener-policy', 'same-origin']
	];
	if (tls) headers.push(['strict-transport-security', 'max-age=31536000; includeSubDomains']);
	return headers;
}

export const handleSecurityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	try {
		const headers = response.headers;
		for (const [name, value] of securityHeaders({ tls: isTls(event), kitPolicy: headers.get('content-security-policy') })) {
			headers.set(name, value);
		}
		// What a signed-in person sees is theirs: no shared cache, no back-forward copy for the
		// next person at a library computer. Responses that chose their own caching keep it.
		if (event.locals.user && !headers.has('cache-control')) headers.set('cache-control', 'private, no-store');
	} catch {
		// A response with immutable headers (a fetched one passed through) keeps its own.
	}
	return response;
};

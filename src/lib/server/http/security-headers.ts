import { json, type Handle, type RequestEvent } from '@sveltejs/kit';
import { basemapOrigin } from '../map/basemap';

/**
 * Security headers on every response, and a refusal of cross-site requests that change
 * data. Script nonces come from SvelteKit's own CSP support (kit.csp in svelte.config.js
 * sets `script-src`); this handler adds the rest of the policy to the same header, so
 * there is exactly one Content-Security-Policy and the origins it allows can come from
 * the environment (a basemap host) instead of being frozen into the build.
 */

/**
 * Extra origins for map tiles, styles and glyphs, e.g. "https://service.pdok.nl": the
 * configured basemap's own origin (src/lib/server/map/basemap.ts), plus any listed in
 * PERKJE_CSP_ORIGINS (for a basemap whose style points at tiles on other hosts).
 */
function extraOrigins(env: NodeJS.ProcessEnv): string[] {
	const listed = (env.PERKJE_CSP_ORIGINS ?? '')
		.split(/[\s,]+/)
		.filter((o) => /^https?:\/\/[^\s;'"]+$/.test(o));
	const basemap = basemapOrigin(env);
	return basemap && !listed.includes(basemap) ? [basemap, ...listed] : listed;
}

export function contentSecurityPolicy(env: NodeJS.ProcessEnv = process.env): string {
	const extra = extraOrigins(env);
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

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A request that changes data and plainly comes from another site. SvelteKit checks the
 * origin of form submissions itself (csrf.checkOrigin); this covers JSON endpoints too.
 * Browsers send Origin with every cross-origin POST/PUT/PATCH/DELETE and Sec-Fetch-Site
 * with every request; clients that send neither (curl, server-to-server) are not browsers
 * carrying someone's cookies, so they are not a CSRF risk.
 */
export function isCrossSiteWrite(event: Pick<RequestEvent, 'request' | 'url'>): boolean {
	const { request, url } = event;
	if (!UNSAFE_METHODS.has(request.method)) return false;
	const site = request.headers.get('sec-fetch-site');
	if (site && site !== 'same-origin' && site !== 'none') return true;
	const origin = request.headers.get('origin');
	return origin !== null && origin !== url.origin;
}

function isTls(event: Pick<RequestEvent, 'request' | 'url'>): boolean {
	return (
		event.url.protocol === 'https:' ||
		event.request.headers.get('x-forwarded-proto')?.split(',')[0].trim() === 'https'
	);
}

export const handleSecurityHeaders: Handle = async ({ event, resolve }) => {
	const response = isCrossSiteWrite(event)
		? json({ message: 'Cross-site request refused' }, { status: 403 })
		: await resolve(event);
	try {
		const headers = response.headers;
		const kitPolicy = headers.get('content-security-policy');
		headers.set(
			'content-security-policy',
			kitPolicy ? `${kitPolicy}; ${contentSecurityPolicy()}` : contentSecurityPolicy()
		);
		headers.set('x-content-type-options', 'nosniff');
		headers.set('referrer-policy', 'strict-origin-when-cross-origin');
		headers.set('x-frame-options', 'DENY');
		headers.set('permissions-policy', 'camera=(), microphone=(), geolocation=(self)');
		headers.set('cross-origin-opener-policy', 'same-origin');
		if (isTls(event)) headers.set('strict-transport-security', 'max-age=31536000; includeSubDomains');
	} catch {
		// A response with immutable headers (a fetched one passed through) keeps its own.
	}
	return response;
};

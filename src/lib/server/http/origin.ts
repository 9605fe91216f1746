import { json, type Handle, type RequestEvent } from '@sveltejs/kit';
import * as m from '#lib/paraglide/messages.js';
import { getLocale, localizeHref } from '#lib/paraglide/runtime.js';
import { escapeHtml } from '#server/mail';

/**
 * The one check that a request which changes data comes from a page of this app.
 *
 * SvelteKit's own check (csrf.checkOrigin) is switched off in svelte.config.js because it
 * answers with a bare English text page, "Cross-site POST form submissions are forbidden", and
 * that page is exactly what a newcomer saw on every form when the app's idea of its own origin
 * was wrong. This check is at least as strict as SvelteKit's (a form post must carry an Origin
 * equal to the app's origin), also covers JSON endpoints, and explains itself in the
 * visitor's language, naming the fix when the cause is configuration rather than an attack.
 */

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

export type OriginVerdict =
	| { ok: true }
	/** A page of another site posted here: an attack, or a link from elsewhere. */
	| { ok: false; reason: 'cross-site'; from: string | null }
	/**
	 * The browser says the page is our own (Sec-Fetch-Site: same-origin) but its Origin is not
	 * the one the app believes it has: ORIGIN, PROTOCOL_HEADER or HOST_HEADER is wrong.
	 */
	| { ok: false; reason: 'misconfigured'; from: string; expected: string };

function isFormContentType(request: Request): boolean {
	const type = request.headers.get('content-type')?.split(';', 1)[0].trim().toLowerCase() ?? '';
	return FORM_TYPES.includes(type);
}

export function checkOrigin(event: Pick<RequestEvent, 'request' | 'url'>): OriginVerdict {
	const { request, url } = event;
	if (!UNSAFE_METHODS.has(request.method)) return { ok: true };
	// Open311 clients are servers posting forms without an Origin. That endpoint never reads the
	// session cookie (it authenticates by API key), so a cross-site post gains nothing from one.
	if (url.pathname.startsWith('/open311/')) return { ok: true };
	const origin = request.headers.get('origin');
	const site = request.headers.get('sec-fetch-site');
	if (origin === url.origin) {
		// A same-origin page inside a frame of another site still says cross-site.
		if (site && site !== 'same-origin' && site !== 'none') {
			return { ok: false, reason: 'cross-site', from: origin };
		}
		return { ok: true };
	}
	if (origin !== null && site === 'same-origin') {
		return { ok: false, reason: 'misconfigured', from: origin, expected: url.origin };
	}
	if (origin !== null || (site && site !== 'none')) {
		return { ok: false, reason: 'cross-site', from: origin };
	}
	// No Origin and no Sec-Fetch-Site: not a browser, so no one's cookies ride along. A form
	// post without Origin is still refused, as SvelteKit does: old browsers omit it.
	return isFormContentType(request) ? { ok: false, reason: 'cross-site', from: null } : { ok: true };
}

function refusalText(verdict: Exclude<OriginVerdict, { ok: true }>): { title: string; body: string } {
	return verdict.reason === 'misconfigured'
		? {
				title: m.origin_refused_title(),
				body: m.origin_refused_misconfigured({ from: verdict.from, expected: verdict.expected })
			}
		: { title: m.origin_refused_title(), body: m.origin_refused_cross_site() };
}

/** A small page of its own: the layout may not render for a request that never got in. */
function refusalPage(verdict: Exclude<OriginVerdict, { ok: true }>, home: string): string {
	const { title, body } = refusalText(verdict);
	return `<!doctype html>
<html lang="${getLocale()}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · ${escapeHtml(m.app_name())}</title>
<style>body{font:1rem/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}a{color:#00598a}</style>
</head>
<body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p>
<p><a href="${escapeHtml(home)}">${escapeHtml(m.error_home())}</a></p></main></body>
</html>`;
}

export const handleOrigin: Handle = ({ event, resolve }) => {
	const verdict = checkOrigin(event);
	if (verdict.ok) return resolve(event);
	const { title, body } = refusalText(verdict);
	const headers = { 'cache-control': 'no-store' };
	// An enhanced form (use:enhance) reads an ActionResult and shows the error page with it.
	if (event.request.headers.get('x-sveltekit-action') === 'true') {
		return json(
			{ type: 'error', status: 403, error: { message: body, refusedWrite: true } },
			{ status: 403, headers }
		);
	}
	if (event.request.headers.get('accept')?.includes('application/json')) {
		return json({ message: `${title}. ${body}` }, { status: 403, headers });
	}
	return new Response(refusalPage(verdict, localizeHref('/')), {
		status: 403,
		headers: { ...headers, 'content-type': 'text/html; charset=utf-8' }
	});
};

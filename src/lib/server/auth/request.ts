import type { RequestEvent } from '@sveltejs/kit';
import { getLocale } from '#lib/paraglide/runtime.js';
import type { FlowContext } from './flows';

/** Everything an account flow needs from a SvelteKit request. */
export function flowContext(event: RequestEvent): FlowContext {
	return {
		headers: event.request.headers,
		ip: clientAddress(event),
		origin: event.url.origin,
		locale: getLocale() === 'en' ? 'en' : 'nl',
		cookies: event.cookies,
		secure: event.url.protocol === 'https:'
	};
}

/**
 * The client's address, for per-IP limits. Behind a proxy, adapter-node reads it from the
 * header named in ADDRESS_HEADER (with XFF_DEPTH); see the README's deployment notes.
 */
export function clientAddress(event: Pick<RequestEvent, 'getClientAddress'>): string | null {
	try {
		return event.getClientAddress();
	} catch {
		return null;
	}
}

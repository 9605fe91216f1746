import type { Cookies } from '@sveltejs/kit';
import { parseSetCookieHeader, toCookieOptions } from 'better-auth/cookies';

/**
 * Copies the cookies Better Auth set on an `auth.api` response onto SvelteKit's response.
 * Better Auth is told not to decide `Secure` itself (one deployment can be reached over TLS
 * and, on the machine itself, over plain http); here it follows the actual request.
 * HttpOnly and SameSite=Lax come from Better Auth and are kept.
 */
export function applyAuthCookies(cookies: Cookies, headers: Headers | null | undefined, secure: boolean) {
	if (!headers) return;
	for (const header of headers.getSetCookie()) {
		for (const [name, attributes] of parseSetCookieHeader(header)) {
			const options = toCookieOptions(attributes);
			cookies.set(name, attributes.value, {
				...options,
				sameSite: options.sameSite ?? 'lax',
				httpOnly: options.httpOnly ?? true,
				path: options.path || '/',
				secure
			});
		}
	}
}

import type { Handle } from '@sveltejs/kit';
import { getDb } from '#server/db';
import { SESSION_COOKIE } from './better-auth';
import { applyAuthCookies } from './cookies';
import { actorFor, loadSession } from './session';

/**
 * Answers that are the same for everyone and may be kept by shared caches (map tiles, photos,
 * the health check). They never read the session: a signed-in resident panning the map would
 * otherwise cost two queries per tile, and a refreshed or dropped session cookie would ride
 * on a response a proxy may hand to someone else.
 */
// The map of care's tiles (/tiles/care) are the exception: staff only, so they need the session
// (they are answered private, for that browser alone).
const SESSIONLESS = /^\/(tiles\/(?!care\/)|media\/|healthz$)/;

/**
 * Session from the HttpOnly cookie into `locals.user` / `locals.actor`. Requests without
 * the cookie (visitors) cost nothing: no database lookup at all.
 */
export const handleSession: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.actor = null;
	event.locals.session = null;
	if (!SESSIONLESS.test(event.url.pathname) && event.cookies.get(SESSION_COOKIE)) {
		const loaded = await loadSession(event.request.headers);
		if (loaded) {
			event.locals.user = loaded.user;
			event.locals.session = loaded.session;
			event.locals.actor = await actorFor(getDb(), loaded.user);
			applyAuthCookies(event.cookies, loaded.setCookies, event.url.protocol === 'https:');
		} else {
			// Expired or signed out elsewhere: drop the dead cookie.
			event.cookies.delete(SESSION_COOKIE, { path: '/' });
		}
	}
	return resolve(event);
};

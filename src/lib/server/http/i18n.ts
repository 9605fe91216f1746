import type { Handle } from '@sveltejs/kit';
import { paraglideMiddleware } from '#lib/paraglide/server.js';

/**
 * Paraglide's middleware decides the request's locale (URL prefix `/en`, else Dutch), keeps it
 * in AsyncLocalStorage for the message functions, and hands SvelteKit the de-localized URL.
 * The page's `<html lang>` is filled in here because app.html is rendered outside any component.
 */
export const handleI18n: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		return resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale)
		});
	});

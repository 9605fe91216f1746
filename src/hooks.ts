import type { Reroute } from '@sveltejs/kit';
import { deLocalizeUrl } from '#lib/paraglide/runtime.js';

// `/en/...` serves the same route as `/...`: the locale lives in the URL, not in the route tree.
export const reroute: Reroute = (request) => deLocalizeUrl(request.url).pathname;

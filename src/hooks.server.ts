import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { dev } from '$app/environment';
import { handleI18n, handleInput, handleOrigin, handleRequestLog, handleSecurityHeaders, reportServerError } from '#server/http';
import { handleSession } from '#server/auth';
import { prepareApp } from '#lib/server/startup.js';

// Runs once before the first request: migrations, demo data, fail-fast checks. A failed start
// ends the process, except in `vite dev`, where the dev server shows the error instead.
export const init: ServerInit = async () => {
	await prepareApp({ exitOnFailure: !dev });
};

// Order matters: the request log wraps everything (it times and ids the request), headers
// apply to every response, the language is known before a refused write is explained and
// before the session loads the user; a refused write never reaches the session, and no
// control character reaches a route.
export const handle: Handle = sequence(
	handleRequestLog,
	handleSecurityHeaders,
	handleI18n,
	handleOrigin,
	handleInput,
	handleSession
);

export const handleError: HandleServerError = reportServerError;

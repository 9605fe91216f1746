import type { Handle, HandleServerError } from '@sveltejs/kit';
import * as m from '#lib/paraglide/messages.js';
import { logger } from '#server/logging';

/**
 * A request id from a proxy in front of us is reused so one id follows the request through
 * both logs; anything that could be used to inject into logs or headers is replaced.
 */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export function requestIdFrom(header: string | null): string {
	return header && SANE_REQUEST_ID.test(header) ? header : crypto.randomUUID();
}

/**
 * One log line per request, written when the response is ready: method, path (never the
 * query string, which may carry personal data such as an e-mail address), status,
 * duration and request id. The id goes back in X-Request-Id so a person reporting a
 * problem can quote it.
 */
export const handleRequestLog: Handle = async ({ event, resolve }) => {
	const started = performance.now();
	const requestId = requestIdFrom(event.request.headers.get('x-request-id'));
	event.locals.requestId = requestId;
	const line: RequestLine = {
		requestId,
		method: event.request.method,
		path: event.url.pathname,
		route: event.route.id
	};
	let response: Response;
	try {
		response = await resolve(event);
	} catch (error) {
		// SvelteKit turns this into a 500 after handleError has logged the cause.
		logRequest(line, 500, started);
		throw error;
	}
	try {
		response.headers.set('x-request-id', requestId);
	} catch {
		// Immutable headers (a Response passed through from fetch): the log still has the id.
	}
	logRequest(line, response.status, started);
	return response;
};

export interface RequestLine {
	requestId: string;
	method: string;
	/** Never the query string. */
	path: string;
	route: string | null;
}

/** The one `request` line; also written by the server's fast path (src/lib/server/fast-path.ts). */
export function logRequest(line: RequestLine, status: number, started: number): void {
	logger.info({ ...line, status, durationMs: elapsed(started) }, 'request');
}

function elapsed(started: number): number {
	return Math.round((performance.now() - started) * 10) / 10;
}

/**
 * Unexpected errors: the full error goes to the log with the request id; the visitor gets
 * only a neutral message and the id to quote. Not-found and other client errors that
 * SvelteKit reports here carry its own safe message and are not worth an error line.
 */
export const reportServerError: HandleServerError = ({ error, event, status, message }) => {
	const requestId = event.locals.requestId;
	if (status < 500) {
		logger.debug({ requestId, status, path: event.url.pathname, message }, 'client error');
		return { message, requestId };
	}
	logger.error(
		{ requestId, status, method: event.request.method, path: event.url.pathname, err: errorForLog(error) },
		'unexpected error'
	);
	// Never a detail of the error: only the catalogue's neutral sentence, in the request's language.
	return { message: m.error_title(), requestId };
};

/**
 * An error as the log may keep it: type, message, code and stack, down its chain of causes,
 * and never the parameters of a failed query (drizzle puts them in the message and on the
 * error): those are what a visitor typed, an e-mail address or a name among them.
 */
export function errorForLog(error: unknown, depth = 0): Record<string, unknown> | string {
	if (!(error instanceof Error)) return String(error).slice(0, 200);
	const out: Record<string, unknown> = {
		type: error.name,
		message: error.message.replace(/\nparams:[\s\S]*$/, '\nparams: [not logged]')
	};
	const code = (error as { code?: unknown }).code;
	if (typeof code === 'string') out.code = code;
	if (error.stack) out.stack = error.stack.replace(/\nparams:[\s\S]*?(\n\s+at |$)/, '\nparams: [not logged]$1');
	if (error.cause !== undefined && depth < 3) out.cause = errorForLog(error.cause, depth + 1);
	return out;
}

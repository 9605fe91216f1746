import { error, type Handle } from '@sveltejs/kit';
import * as m from '#lib/paraglide/messages.js';
import { deLocalizeUrl } from '#lib/paraglide/runtime.js';

/**
 * Text that no visitor means to send and no part of the stack can hold: control characters
 * (U+0000–U+001F except tab, line feed and carriage return, and U+007F–U+009F) and lone UTF-16
 * surrogates. PostgreSQL refuses U+0000 in text outright, which used to surface as a 500 for
 * a NUL typed into any field or query string; the others end up invisible in names and logs.
 *
 * Cleaned in one place, before any route sees the request: query strings and form fields
 * lose these characters (harmless: nobody's team name needs a NUL), and a path that carries
 * them names no page. Everything else, including length and format, stays the business of
 * each form's own zod schema, which answers in the visitor's language and keeps their input.
 */
// eslint-disable-next-line no-control-regex
const UNWANTED = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function cleanText(value: string): string {
	return value.replace(UNWANTED, '');
}

export function isClean(value: string): boolean {
	return !new RegExp(UNWANTED.source).test(value);
}

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

/**
 * The body limit of every form and endpoint but one. The server's own limit (BODY_SIZE_LIMIT)
 * is set for a photo upload (15 MB); no form needs more than this, and the hook below reads
 * every form whole, so a bigger one is refused by its Content-Length before it is read.
 */
export const FORM_BODY_LIMIT = 512 * 1024;
/**
 * POST /api/photos takes a photo of up to 15 MB and checks its size itself; its one field is
 * a file, with no text to clean, so its body is not read twice either.
 */
const UPLOAD_PATHS = new Set(['/api/photos']);
/**
 * The care form without JavaScript sends its photos in the same post: it may be as large as
 * the server allows (BODY_SIZE_LIMIT), and its text fields are cleaned like any form's.
 */
const PHOTO_FORM_PATHS = /^\/plots\/\d+\/onderhoud(\/\d+)?$/;

function contentType(request: Request): string {
	return request.headers.get('content-type')?.split(';', 1)[0].trim().toLowerCase() ?? '';
}

/** The form with every text field cleaned, or null when it was clean already (or unreadable). */
async function cleanedForm(request: Request): Promise<FormData | null> {
	let form: FormData;
	try {
		form = await request.clone().formData();
	} catch {
		return null; // A malformed body: the action's own formData() call reports it.
	}
	let dirty = false;
	const clean = new FormData();
	for (const [name, value] of form) {
		const cleanName = cleanText(name);
		if (typeof value === 'string') {
			const cleanValue = cleanText(value);
			dirty ||= cleanName !== name || cleanValue !== value;
			clean.append(cleanName, cleanValue);
		} else {
			dirty ||= cleanName !== name;
			clean.append(cleanName, value);
		}
	}
	return dirty ? clean : null;
}

/**
 * A query string's parameters with the unwanted characters taken out; `dirty` when any were.
 * Also for the server's fast path for tiles (src/lib/server/fast-path.ts), which answers
 * before this hook runs and must read the same filters a route would.
 */
export function cleanSearchParams(search: string): { params: URLSearchParams; dirty: boolean } {
	const params = new URLSearchParams();
	let dirty = false;
	for (const [name, value] of new URLSearchParams(search)) {
		const [n, v] = [cleanText(name), cleanText(value)];
		dirty ||= n !== name || v !== value;
		params.append(n, v);
	}
	return { params, dirty };
}

function decodedPath(pathname: string): string | null {
	try {
		return decodeURIComponent(pathname);
	} catch {
		return null;
	}
}

export const handleInput: Handle = async ({ event, resolve }) => {
	const path = decodedPath(event.url.pathname);
	if (path === null || !isClean(path)) error(404, m.error_not_found());

	let url: URL | null = null;
	if (event.url.search) {
		const { params, dirty } = cleanSearchParams(event.url.search);
		if (dirty) {
			url = new URL(event.url);
			url.search = params.toString();
		}
	}

	const request = event.request;
	const type = contentType(request);
	// `/en/api/photos` is the same endpoint, answering in English.
	const pathname = deLocalizeUrl(event.url).pathname;
	const upload = UPLOAD_PATHS.has(pathname);
	const length = Number(request.headers.get('content-length'));
	const limited = !upload && !PHOTO_FORM_PATHS.test(pathname);
	if (limited && Number.isFinite(length) && length > FORM_BODY_LIMIT) error(413, m.http_body_too_large());
	const form = request.method !== 'GET' && !upload && FORM_TYPES.includes(type) ? await cleanedForm(request) : null;
	if (url || form) {
		// Routes read the URL from the event and some from the request (tiles): both get the
		// cleaned one, so no route can see what this hook took out.
		const headers = new Headers(request.headers);
		let body: BodyInit | null = request.body;
		if (form) {
			// Re-encoded: the boundary and length are the new body's own.
			headers.delete('content-type');
			headers.delete('content-length');
			body = type === 'multipart/form-data' ? form : new URLSearchParams(form as never);
		}
		event.request = new Request(url ?? request.url, {
			method: request.method,
			headers,
			body: request.method === 'GET' || request.method === 'HEAD' ? null : body,
			signal: request.signal,
			// A stream body must say it is sent as it is read.
			...({ duplex: 'half' } as object)
		});
		if (url) event.url = url;
	}
	return resolve(event);
};

import { PHOTO_MAX_BYTES, type PhotoRefusal } from '#lib/domain/media.js';
import * as m from '#lib/paraglide/messages.js';
import type { Db } from '#server/db';
import { etagMatches } from '#server/http';
import { ingestPhoto } from './ingest';
import { createQueue } from './queue';
import { mediaUrl, readVariant, variantVisible } from './photos';

/**
 * The largest request body POST /api/photos reads: the photo plus the multipart framing
 * around it (boundaries, the part's headers). A bigger Content-Length is answered before a
 * byte of the body is read.
 */
export const PHOTO_UPLOAD_MAX_BODY = PHOTO_MAX_BYTES + 64 * 1024;

/** The answer's `error`: why a photo was refused, or why the upload was not looked at. */
export type PhotoUploadError = PhotoRefusal | 'sign-in' | 'forbidden' | 'rate-limited';

const REFUSAL_MESSAGES: Record<PhotoRefusal, () => string> = {
	empty: m.photo_refused_empty,
	'too-large': m.photo_refused_too_large,
	'not-an-image': m.photo_refused_not_an_image,
	'unsupported-format': m.photo_refused_unsupported_format,
	'heic-unsupported': m.photo_refused_heic_unsupported,
	'too-many-pixels': m.photo_refused_too_many_pixels,
	animated: m.photo_refused_animated,
	damaged: m.photo_refused_damaged
};

/** The refusal in the visitor's language (the request's locale). */
export function photoRefusalMessage(reason: PhotoRefusal): string {
	return REFUSAL_MESSAGES[reason]();
}

const STATUS: Record<PhotoUploadError, number> = {
	empty: 400,
	'too-large': 413,
	'not-an-image': 415,
	'unsupported-format': 415,
	'heic-unsupported': 415,
	'too-many-pixels': 413,
	animated: 415,
	damaged: 422,
	'sign-in': 401,
	forbidden: 403,
	'rate-limited': 429
};

const NO_STORE = { 'cache-control': 'no-store' };

/** `{ error, message }` with the status that goes with the error. */
export function photoErrorResponse(error: PhotoUploadError, options: { retryAfterSeconds?: number } = {}): Response {
	let message: string;
	if (error === 'sign-in') message = m.photo_error_sign_in();
	else if (error === 'forbidden') message = m.photo_error_forbidden();
	else if (error === 'rate-limited') message = m.photo_error_rate_limited({ minutes: Math.max(1, Math.ceil((options.retryAfterSeconds ?? 60) / 60)) });
	else message = photoRefusalMessage(error);
	const headers: Record<string, string> = { ...NO_STORE };
	if (options.retryAfterSeconds) headers['retry-after'] = String(options.retryAfterSeconds);
	return Response.json({ error, message }, { status: STATUS[error], headers });
}

/** A Content-Length over the upload's limit: refused before the body is read. */
export function declaredTooLarge(request: Request): boolean {
	const length = Number(request.headers.get('content-length'));
	return Number.isFinite(length) && length > PHOTO_UPLOAD_MAX_BODY;
}

type Upload = { ok: true; bytes: Uint8Array } | { ok: false; reason: PhotoRefusal };

/** The file in the form's `photo` field. A body cut off at the server's limit is too large. */
async function readUpload(request: Request): Promise<Upload> {
	const type = request.headers.get('content-type')?.split(';', 1)[0].trim().toLowerCase();
	if (type !== 'multipart/form-data') return { ok: false, reason: 'empty' };
	let form: FormData;
	try {
		form = await request.formData();
	} catch (e) {
		// adapter-node stops reading at BODY_SIZE_LIMIT (a body sent without Content-Length).
		const status = (e as { status?: number } | null)?.status ?? (e as { cause?: { status?: number } } | null)?.cause?.status;
		return { ok: false, reason: status === 413 ? 'too-large' : 'empty' };
	}
	const file = form.get('photo');
	if (!(file instanceof Blob)) return { ok: false, reason: 'empty' };
	if (file.size > PHOTO_MAX_BYTES) return { ok: false, reason: 'too-large' };
	return { ok: true, bytes: new Uint8Array(await file.arrayBuffer()) };
}

/**
 * Uploads read at once per process. The rest wait before their body is read, so a burst
 * waits in the clients' sockets (adapter-node pauses a body nobody reads) instead of as
 * 15 MB buffers in this process (each read costs about four copies of its body while the
 * form is parsed). One more than the decoder's one, so a slow connection's upload does not
 * hold back the others.
 */
const uploadSlots = createQueue(2);

/** POST /api/photos for a signed-in person allowed to post: 201 with the photo, or a refusal. */
export async function uploadResponse(db: Db, ownerUserId: string, request: Request): Promise<Response> {
	if (declaredTooLarge(request)) return photoErrorResponse('too-large');
	return uploadSlots(() => readAndIngest(db, ownerUserId, request));
}

async function readAndIngest(db: Db, ownerUserId: string, request: Request): Promise<Response> {
	const upload = await readUpload(request);
	if (!upload.ok) return photoErrorResponse(upload.reason);
	const result = await ingestPhoto(db, { ownerUserId, bytes: upload.bytes });
	if (!result.ok) return photoErrorResponse(result.reason);
	const { id, width, height, variants } = result.photo;
	return Response.json(
		{ id, small: mediaUrl(variants.small.hash), large: mediaUrl(variants.large.hash), width, height },
		{ status: 201, headers: NO_STORE }
	);
}

export const MEDIA_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/**
 * GET /media/<hash>: the bytes never change under their hash, so the answer may be kept a
 * year; hidden photos and unknown hashes are 404. nosniff, because the bytes are the
 * uploader's work, however carefully re-encoded.
 */
export async function variantResponse(db: Db, request: Request, hash: string): Promise<Response> {
	const etag = `"${hash}"`;
	const headers: Record<string, string> = {
		etag,
		'cache-control': MEDIA_CACHE_CONTROL,
		'x-content-type-options': 'nosniff'
	};
	// A revalidation needs no bytes, only whether the photo may still be shown.
	const revalidation = etagMatches(request.headers.get('if-none-match'), etag);
	const variant = revalidation ? ((await variantVisible(db, hash)) ? 'visible' : null) : await readVariant(db, hash);
	if (!variant) {
		return new Response('Not found\n', {
			status: 404,
			headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' }
		});
	}
	if (variant === 'visible') return new Response(null, { status: 304, headers });
	// A Buffer from either driver is a Uint8Array over an ArrayBuffer; no copy.
	return new Response(variant.bytes as Uint8Array<ArrayBuffer>, {
		status: 200,
		headers: { ...headers, 'content-type': variant.contentType, 'content-length': String(variant.bytes.length) }
	});
}

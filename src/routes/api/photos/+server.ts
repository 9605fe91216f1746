import { decide } from '#lib/domain/policy.js';
import { clientAddress } from '#server/auth';
import { getDb } from '#server/db';
import { declaredTooLarge, photoErrorResponse, uploadResponse } from '#server/media';
import { limitPhotoUpload } from '#server/ratelimit';
import type { RequestHandler } from './$types';

/**
 * One photo in (multipart, field `photo`), a pending photo out as JSON; the care log's and
 * reports' forms upload each photo here before the entry is sent. JSON for every refusal
 * too, also for visitors (401, not a redirect to the sign-in page: the caller is a script).
 */
export const POST: RequestHandler = async (event) => {
	const actor = event.locals.actor;
	const decision = decide(actor, 'content.post');
	if (decision === 'sign-in' || !actor) return photoErrorResponse('sign-in');
	if (decision === 'forbidden') return photoErrorResponse('forbidden');
	// Before the limit is counted and before the body is read.
	if (declaredTooLarge(event.request)) return photoErrorResponse('too-large');
	const db = getDb();
	const limit = await limitPhotoUpload(db, actor.id, clientAddress(event));
	if (!limit.allowed) return photoErrorResponse('rate-limited', { retryAfterSeconds: limit.retryAfterSeconds });
	return uploadResponse(db, actor.id, event.request);
};

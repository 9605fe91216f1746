import { fail } from '@sveltejs/kit';
import * as m from '#lib/paraglide/messages.js';
import { ACTIVITY_BACKDATE_DAYS, ACTIVITY_EDIT_DAYS, ACTIVITY_MAX_PHOTOS } from '#lib/domain/activity.js';
import type { CareFormValues } from '#lib/domain/care.js';
import type { Actor } from '#lib/domain/policy.js';
import type { Db } from '#server/db';
import { fieldErrors } from '#server/http';
import { ingestPhoto, photoRefusalMessage } from '#server/media';
import { limitPosting } from '#server/ratelimit';
import { activityFormInput, activityInputSchema, isActivityError, type ActivityErrorCode, type ActivityInput } from './log';

const MESSAGES: Record<ActivityErrorCode, () => string> = {
	'not-found': m.care_error_not_found,
	'not-adopter': m.care_error_not_adopter,
	'not-yours': m.care_error_not_yours,
	'too-late': () => m.care_error_too_late({ days: ACTIVITY_EDIT_DAYS }),
	future: m.care_error_future,
	'too-old': () => m.care_error_too_old({ days: ACTIVITY_BACKDATE_DAYS }),
	'before-adoption': m.care_error_before_adoption,
	'task-unfit': m.care_error_task_unfit,
	photos: m.care_error_photos,
	'key-taken': m.care_error_key_taken
};

/** A refusal as the form shows it, in the reader's language, and the status it answers with. */
export function activityRefusal(code: ActivityErrorCode): { status: number; field: string; message: string } {
	const status = code === 'not-found' ? 404 : code === 'not-adopter' || code === 'not-yours' || code === 'too-late' ? 403 : 400;
	const field = code === 'future' || code === 'too-old' || code === 'before-adoption' ? 'doneOn' : code === 'task-unfit' ? 'tasks' : code === 'photos' ? 'photos' : 'form';
	return { status, field, message: MESSAGES[code]() };
}

export type CareSubmission =
	| { ok: true; input: ActivityInput; values: CareFormValues }
	| { ok: false; status: number; values: CareFormValues; errors: Record<string, string> };

/**
 * Reads the care form, with JavaScript (photos uploaded beforehand, their ids in `photoIds`)
 * or without (the files in the same multipart post, field `photo`: ingested here). Input the
 * form got wrong is a 400 with sentences per field; a rate limit a 429; never a 500.
 */
export async function readCareForm(
	db: Db,
	actor: Actor,
	data: FormData,
	options: { ip: string | null; photos?: boolean }
): Promise<CareSubmission> {
	const raw = activityFormInput(data);
	const values: CareFormValues = {
		tasks: raw.tasks as string[],
		otherTask: String(raw.otherTask ?? ''),
		doneOn: String(raw.doneOn ?? ''),
		minutes: String(raw.minutes ?? ''),
		people: String(raw.people ?? ''),
		note: String(raw.note ?? ''),
		photoIds: raw.photoIds as string[],
		idempotencyKey: String(raw.idempotencyKey ?? '')
	};
	const files = options.photos === false ? [] : data.getAll('photo').filter((f): f is File => f instanceof File && f.size > 0);
	const parsed = activityInputSchema().safeParse(raw);
	if (!parsed.success) return { ok: false, status: 400, values, errors: fieldErrors(parsed.error) };
	if (parsed.data.photoIds.length + files.length > ACTIVITY_MAX_PHOTOS) {
		return { ok: false, status: 400, values, errors: { photos: m.care_error_photo_count({ max: ACTIVITY_MAX_PHOTOS }) } };
	}
	const limit = await limitPosting(db, actor.id, options.ip);
	if (!limit.allowed) {
		const minutes = Math.max(1, Math.ceil(limit.retryAfterSeconds / 60));
		return { ok: false, status: 429, values, errors: { form: m.care_error_rate_limited({ minutes }) } };
	}
	const photoIds = [...parsed.data.photoIds];
	for (const file of files) {
		const ingested = await ingestPhoto(db, { ownerUserId: actor.id, bytes: new Uint8Array(await file.arrayBuffer()) });
		if (!ingested.ok) return { ok: false, status: 400, values, errors: { photos: `${file.name}: ${photoRefusalMessage(ingested.reason)}` } };
		photoIds.push(ingested.photo.id);
	}
	return { ok: true, input: { ...parsed.data, photoIds }, values: { ...values, photoIds: photoIds.map(String) } };
}

/** An ActivityError as the form's answer; anything else is a real error and goes on. */
export function careFailure(e: unknown, values: CareFormValues | null) {
	if (!isActivityError(e)) throw e;
	const refusal = activityRefusal(e.code);
	return fail(refusal.status, { values, errors: { [refusal.field]: refusal.message } });
}

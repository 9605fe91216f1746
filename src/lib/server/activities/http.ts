import * as m from '#lib/paraglide/messages.js';
import { ACTIVITY_BACKDATE_DAYS, ACTIVITY_EDIT_DAYS } from '#lib/domain/activity.js';
import type { ActivityErrorCode } from './log';

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

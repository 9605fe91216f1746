import { fail } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages.js';
import { isAdoptionError } from '$lib/server/adoptions';
import { ManageError } from './actions';

/**
 * A refused manager action as the form shows it: a sentence in the manager's language,
 * never a database message. Anything else is a real error and goes on to the error page.
 */
export function manageFailure(e: unknown, extra: Record<string, unknown> = {}) {
	if (e instanceof ManageError) {
		const message = {
			forbidden: m.manage_error_forbidden,
			'not-found': m.manage_error_not_found,
			'below-holding': m.manage_error_below_holding,
			'no-account': m.manage_error_no_account,
			'bad-capacity': m.manage_error_bad_capacity
		}[e.code]();
		return fail(e.code === 'forbidden' ? 403 : 400, { ...extra, error: message });
	}
	if (isAdoptionError(e)) {
		const messages: Partial<Record<string, () => string>> = {
			'not-found': m.manage_error_not_found,
			'not-adoptable': m.manage_error_not_adoptable,
			full: m.manage_error_full,
			queue: m.manage_error_queue,
			'wrong-status': m.manage_error_wrong_status,
			'already-open': m.manage_error_already_open,
			'requester-gone': m.staff_error_requester_gone
		};
		const message = messages[e.code]?.() ?? m.manage_error_not_found();
		return fail(409, { ...extra, error: message });
	}
	throw e;
}

/** A positive integer id from a form field, or null. */
export function idField(value: FormDataEntryValue | null): number | null {
	const n = Number(value);
	return Number.isSafeInteger(n) && n > 0 && n <= 2_147_483_647 ? n : null;
}

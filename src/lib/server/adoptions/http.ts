import { fail } from '@sveltejs/kit';
import * as m from '#lib/paraglide/messages.js';
import { PlotError } from '#server/plots';
import { isAdoptionError, type AdoptionErrorCode } from './errors';

const PLOT_MESSAGES: Record<PlotError['code'], () => string> = {
	forbidden: m.manage_error_forbidden,
	'not-found': m.manage_error_not_found,
	'below-holding': m.manage_error_below_holding,
	'bad-capacity': m.manage_error_bad_capacity
};

const ADOPTION_MESSAGES: Partial<Record<AdoptionErrorCode, () => string>> = {
	forbidden: m.manage_error_forbidden,
	'no-account': m.manage_error_no_account,
	'wrong-plot': m.manage_error_not_found,
	'not-found': m.manage_error_not_found,
	'not-adoptable': m.manage_error_not_adoptable,
	full: m.manage_error_full,
	queue: m.manage_error_queue,
	'wrong-status': m.manage_error_wrong_status,
	'already-open': m.manage_error_already_open,
	'requester-gone': m.staff_error_requester_gone
};

/**
 * A refused manager action as the form shows it: a sentence in the manager's language,
 * never a database message. 403 for a refusal, 400 for what the form itself got wrong, 409
 * where the adoption's state stands in the way. Anything else is a real error and goes on to
 * the error page.
 */
export function manageFailure(e: unknown, extra: Record<string, unknown> = {}) {
	if (e instanceof PlotError) {
		return fail(e.code === 'forbidden' ? 403 : 400, { ...extra, error: PLOT_MESSAGES[e.code]() });
	}
	if (isAdoptionError(e)) {
		const status = e.code === 'forbidden' ? 403 : e.code === 'no-account' || e.code === 'wrong-plot' ? 400 : 409;
		return fail(status, { ...extra, error: (ADOPTION_MESSAGES[e.code] ?? m.manage_error_not_found)() });
	}
	throw e;
}

/**
 * Runs a manager's action and answers the form: `done` when it went through, the refusal
 * (with `extra`, e.g. which row's form it was) when the service said no.
 */
export async function manageAction<const T>(call: () => Promise<unknown>, done: T, extra: Record<string, unknown> = {}) {
	try {
		await call();
	} catch (e) {
		return manageFailure(e, extra);
	}
	return done;
}

import { fail } from '@sveltejs/kit';
import * as m from '#lib/paraglide/messages.js';
import { localizeHref } from '#lib/paraglide/runtime.js';
import { getDb } from '#server/db';
import { consume, RATE_LIMITS } from '#server/ratelimit';
import { confirmByToken, reportRefusal } from '#server/reports';
import type { Actions, PageServerLoad } from './$types';

/**
 * The link in the mail opens this page; the button confirms. A GET alone changes nothing, so a
 * mail program that opens links to check them does not confirm for the person.
 */
export const load = (() => ({})) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const limit = await consume(getDb(), RATE_LIMITS.tokenIp, event.getClientAddress());
		if (!limit.allowed) {
			return fail(429, { error: m.report_new_rate_limited({ minutes: Math.max(1, Math.ceil(limit.retryAfterSeconds / 60)) }) });
		}
		try {
			const done = await confirmByToken(getDb(), event.params.token);
			return {
				message: done.already ? m.report_new_already_confirmed() : done.support ? m.report_new_support_confirmed() : m.report_new_confirmed(),
				reportHref: localizeHref(`/meldingen/${done.reportId}`)
			};
		} catch (e) {
			const refusal = reportRefusal(e);
			if (!refusal) throw e;
			return fail(400, { error: refusal.message });
		}
	}
} satisfies Actions;

import { error, fail, redirect } from '@sveltejs/kit';
import * as m from '#lib/paraglide/messages.js';
import { getLocale, localizeHref } from '#lib/paraglide/runtime.js';
import { SIGN_IN_PATH, requireUser } from '#server/auth';
import { getConfig } from '#server/config';
import { getDb } from '#server/db';
import { fieldErrors } from '#server/http';
import { answerQuestion, answerSchema, limitReporting, publicReport, reportRefusal, supportReport } from '#server/reports';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ params, locals, url }) => {
	const report = await publicReport(getDb(), Number(params.id), locals.user?.id ?? null);
	if (!report) error(404, { message: m.report_page_not_found() });
	return {
		report,
		signedIn: locals.user !== null,
		signInHref: `${localizeHref(SIGN_IN_PATH)}?redirectTo=${encodeURIComponent(url.pathname)}`,
		plotHref: report.plotId ? localizeHref(`/plots/${report.plotId}`) : null,
		parentHref: report.parentId ? localizeHref(`/meldingen/${report.parentId}`) : null
	};
}) satisfies PageServerLoad;

export const actions = {
	/** The reporter answers the question the municipality asked. */
	answer: async (event) => {
		const { actor } = requireUser(event);
		const reportId = Number(event.params.id);
		// Only the reporter has a question to answer; for anyone else the report's form is not there.
		const report = await publicReport(getDb(), reportId, actor.id);
		if (!report?.own) error(404, { message: m.report_page_not_found() });
		const data = await event.request.formData();
		const text = data.get('text');
		const parsed = answerSchema().safeParse({ text });
		const values = { text: typeof text === 'string' ? text : '' };
		if (!parsed.success) return fail(400, { action: 'answer', values, errors: fieldErrors(parsed.error) });
		const limit = await limitReporting(getDb(), { userId: actor.id, email: null, ip: event.getClientAddress() });
		if (!limit.allowed) {
			const minutes = Math.max(1, Math.ceil(limit.retryAfterSeconds / 60));
			return fail(429, { action: 'answer', values, errors: { text: m.report_new_rate_limited({ minutes }) } });
		}
		try {
			await answerQuestion(getDb(), { reportId, userId: actor.id, text: parsed.data.text });
		} catch (e) {
			const refusal = reportRefusal(e);
			if (!refusal) throw e;
			return fail(refusal.status, { action: 'answer', values, errors: { [refusal.field === 'form' ? 'text' : refusal.field]: refusal.message } });
		}
		redirect(303, `${localizeHref(`/meldingen/${reportId}`)}?beantwoord=1`);
	},

	/** "Ik zie dit ook" from the report's own page (signed in; by address it starts at /meldingen/nieuw). */
	support: async (event) => {
		const { actor } = requireUser(event);
		const reportId = Number(event.params.id);
		const limit = await limitReporting(getDb(), { userId: actor.id, email: null, ip: event.getClientAddress() });
		if (!limit.allowed) {
			const minutes = Math.max(1, Math.ceil(limit.retryAfterSeconds / 60));
			return fail(429, { action: 'support', errors: { form: m.report_new_rate_limited({ minutes }) } });
		}
		try {
			await supportReport(getDb(), {
				reportId,
				actor,
				email: null,
				origin: getConfig().auth.publicOrigin ?? event.url.origin,
				locale: getLocale() === 'en' ? 'en' : 'nl'
			});
		} catch (e) {
			const refusal = reportRefusal(e);
			if (!refusal) throw e;
			return fail(refusal.status, { action: 'support', errors: { form: refusal.message } });
		}
		redirect(303, `${localizeHref(`/meldingen/${reportId}`)}?steun=1`);
	}
} satisfies Actions;

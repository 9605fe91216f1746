import { error, fail, redirect } from '@sveltejs/kit';
import type { RequestEvent } from '@sveltejs/kit';
import * as m from '#lib/paraglide/messages.js';
import { localizeHref } from '#lib/paraglide/runtime.js';
import { REPORT_STATES, mayMoveReport } from '#lib/domain/report.js';
import { requirePermission, requireVisible } from '#server/auth';
import { getDb } from '#server/db';
import { readWorkForm, staffReport, workFailure, workOnReport } from '#server/reports';
import type { Actions, PageServerLoad } from './$types';

/**
 * The report the partner works on. Another organisation's report answers like no report at all
 * (404): a partner never learns what others are given.
 */
async function reportFor(event: RequestEvent) {
	const actor = requirePermission(event, 'partner.view', { partnerOrganisationId: event.locals.actor?.partnerOrganisationId ?? -1 });
	const report = await staffReport(getDb(), Number(event.params.id));
	if (!report) error(404, { message: m.report_staff_error_not_found() });
	requireVisible(event, 'report.work', { partnerOrganisationId: report.partnerOrganisationId });
	return { actor, report };
}

export const load = (async (event) => {
	const { actor, report } = await reportFor(event);
	const kind = actor.role === 'partner' ? 'partner' : 'manager';
	return {
		report,
		moves: REPORT_STATES.filter((s) => mayMoveReport(kind, report.state, s)),
		saved: event.url.searchParams.get('opgeslagen') === '1'
	};
}) satisfies PageServerLoad;

export const actions = {
	work: async (event) => {
		const { actor, report } = await reportFor(event);
		const form = await readWorkForm(getDb(), actor, await event.request.formData());
		if (!form.ok) return fail(400, { values: form.values, message: form.message });
		try {
			await workOnReport(getDb(), { reportId: report.id, actor, ...form, now: new Date(), origin: event.url.origin });
		} catch (e) {
			return workFailure(e, { values: form.values });
		}
		redirect(303, `${localizeHref(`/partner/meldingen/${report.id}`)}?opgeslagen=1`);
	}
} satisfies Actions;

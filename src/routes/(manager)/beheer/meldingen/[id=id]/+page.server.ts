import { error, fail, redirect } from '@sveltejs/kit';
import type { RequestEvent } from '@sveltejs/kit';
import * as m from '#lib/paraglide/messages.js';
import { localizeHref } from '#lib/paraglide/runtime.js';
import { REPORT_STATES, mayMoveReport } from '#lib/domain/report.js';
import { requirePermission } from '#server/auth';
import { getDb } from '#server/db';
import {
	inboxChoices,
	mergeReports,
	readAssignForm,
	readMergeForm,
	readWorkForm,
	reassignReport,
	staffReport,
	workFailure,
	workOnReport
} from '#server/reports';
import type { Actions, PageServerLoad } from './$types';

async function reportFor(event: RequestEvent) {
	const actor = requirePermission(event, 'report.triage');
	const report = await staffReport(getDb(), Number(event.params.id));
	if (!report) error(404, { message: m.report_staff_error_not_found() });
	return { actor, report };
}

const back = (id: number, what: string) => `${localizeHref(`/beheer/meldingen/${id}`)}?opgeslagen=${what}`;

export const load = (async (event) => {
	const { report } = await reportFor(event);
	const choices = await inboxChoices(getDb());
	return {
		report,
		partners: choices.partners,
		moves: REPORT_STATES.filter((s) => mayMoveReport('manager', report.state, s)),
		saved: event.url.searchParams.get('opgeslagen')
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
		redirect(303, back(report.id, 'werk'));
	},
	assign: async (event) => {
		const { actor, report } = await reportFor(event);
		const form = readAssignForm(await event.request.formData());
		if (!form.ok) return fail(400, { message: form.message });
		try {
			await reassignReport(getDb(), { reportId: report.id, actor, partnerOrganisationId: form.partnerOrganisationId, internalNote: form.internalNote, now: new Date() });
		} catch (e) {
			return workFailure(e);
		}
		redirect(303, back(report.id, 'toegewezen'));
	},
	merge: async (event) => {
		const { actor, report } = await reportFor(event);
		const form = readMergeForm(await event.request.formData());
		if (!form.ok) return fail(400, { message: form.message, children: form.children });
		try {
			await mergeReports(getDb(), {
				parentId: report.id,
				childIds: form.childIds,
				actor,
				publicNote: form.publicNote ?? m.report_staff_merge_default_note({ id: report.id }),
				now: new Date(),
				origin: event.url.origin
			});
		} catch (e) {
			return workFailure(e, { children: form.childIds.join(', ') });
		}
		redirect(303, back(report.id, 'samengevoegd'));
	}
} satisfies Actions;

import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import * as m from '#lib/paraglide/messages.js';
import { getLocale } from '#lib/paraglide/runtime.js';
import { pageParam } from '#lib/domain/paging.js';
import { REPORT_NOTE_MAX } from '#lib/domain/report.js';
import { requirePermission } from '#server/auth';
import { getDb } from '#server/db';
import { idField } from '#server/http';
import { decideReopen, isReportError, listReopenRequests } from '#server/reports';
import type { Actions, PageServerLoad } from './$types';

// Reporters who answered "Nee": a manager decides, reopening the report or keeping it done.
export const load = (async (event) => {
	const actor = requirePermission(event, 'report.triage');
	const list = await listReopenRequests(getDb(), { page: pageParam(event.url.searchParams) });
	const en = getLocale() === 'en';
	return {
		role: actor.role,
		list: { ...list, items: list.items.map((r) => ({ ...r, category: en ? r.categoryEn : r.categoryNl })) }
	};
}) satisfies PageServerLoad;

const DecisionSchema = z.object({
	decision: z.enum(['reopen', 'keep'], { error: () => m.report_reopen_error_decision() }),
	note: z
		.string()
		.trim()
		.min(3, { error: () => m.report_reopen_error_note({ max: REPORT_NOTE_MAX }) })
		.max(REPORT_NOTE_MAX, { error: () => m.report_reopen_error_note({ max: REPORT_NOTE_MAX }) })
});

export const actions = {
	decide: async (event) => {
		const actor = requirePermission(event, 'report.triage');
		const data = await event.request.formData();
		const reportId = idField(data.get('reportId'));
		const values = { decision: String(data.get('decision') ?? ''), note: String(data.get('note') ?? '') };
		if (!reportId) return fail(400, { ...values, reportId: null, error: m.report_reopen_error_gone() });
		const parsed = DecisionSchema.safeParse(values);
		if (!parsed.success) return fail(400, { ...values, reportId, error: parsed.error.issues[0].message });
		try {
			const { to } = await decideReopen(getDb(), actor, { reportId, reopen: parsed.data.decision === 'reopen', note: parsed.data.note, now: new Date(), origin: event.url.origin });
			return { done: to, reportId };
		} catch (e) {
			// Another manager decided first, or the report is gone: the list shows what is left.
			if (isReportError(e)) return fail(409, { ...values, reportId, error: m.report_reopen_error_gone() });
			throw e;
		}
	}
} satisfies Actions;

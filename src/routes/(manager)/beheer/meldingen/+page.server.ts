import { fail } from '@sveltejs/kit';
import { PAGE_SIZES } from '#lib/domain/paging.js';
import { INBOX_AGE_DAYS, parseInboxFilter } from '#lib/domain/report-inbox.js';
import { REPORT_STATES } from '#lib/domain/report.js';
import * as m from '#lib/paraglide/messages.js';
import { requirePermission } from '#server/auth';
import { getDb } from '#server/db';
import { bulkMoveReports, inboxChoices, listInbox, readBulkForm, workFailure } from '#server/reports';
import type { Actions, PageServerLoad } from './$types';

// The managers' inbox of reports: filters in the URL (a GET form), overdue first, bulk moves.
export const load = (async (event) => {
	const actor = requirePermission(event, 'report.triage');
	const db = getDb();
	const filter = parseInboxFilter(event.url.searchParams);
	const [list, choices] = await Promise.all([listInbox(db, { kind: 'all' }, filter), inboxChoices(db)]);
	return { role: actor.role, filter: { ...filter, page: list.page }, list, choices, states: REPORT_STATES, ages: INBOX_AGE_DAYS, pageSizes: PAGE_SIZES };
}) satisfies PageServerLoad;

export const actions = {
	bulk: async (event) => {
		const actor = requirePermission(event, 'report.triage');
		const form = readBulkForm(await event.request.formData());
		if (!form.ok) return fail(400, { message: form.message });
		try {
			const result = await bulkMoveReports(getDb(), { reportIds: form.ids, actor, to: form.to, publicNote: form.publicNote, now: new Date(), origin: event.url.origin });
			return {
				done: m.report_inbox_bulk_done({ count: result.moved.length }),
				refused: result.refused.length > 0 ? m.report_inbox_bulk_refused({ ids: result.refused.join(', ') }) : null
			};
		} catch (e) {
			return workFailure(e);
		}
	}
} satisfies Actions;

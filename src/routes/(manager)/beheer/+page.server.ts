import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import * as m from '#lib/paraglide/messages.js';
import { requirePermission } from '#server/auth';
import { getDb } from '#server/db';
import { approveAdoption, rejectAdoption, askQuestion, bulkApprove, inboxNeighbourhoods, listInbox, manageAction } from '#server/adoptions';
import { parseInboxFilter } from '#lib/domain/inbox-filter.js';
import { idField } from '#server/http';
import { PAGE_SIZES } from '#lib/domain/paging.js';
import type { Actions, PageServerLoad } from './$types';

// The manager's inbox: open adoption requests, oldest first, paged, with filters; the actions below
// call the adoptions service, which checks the policy and writes history and audit rows.
export const load = (async (event) => {
	const actor = requirePermission(event, 'manage.view');
	const db = getDb();
	const filter = parseInboxFilter(event.url.searchParams);
	const [requests, neighbourhoods] = await Promise.all([listInbox(db, filter), inboxNeighbourhoods(db)]);
	// The page actually shown (a page past the end shows the last one), so links and forms use it.
	return {
		role: actor.role,
		filter: { ...filter, page: requests.page },
		requests,
		neighbourhoods,
		pageSizes: PAGE_SIZES
	};
}) satisfies PageServerLoad;

/** Reject reasons a manager picks from; the chosen text (plus any free text) goes to the resident. */
const REJECT_TEMPLATES = ['full', 'own_maintenance', 'unsafe', 'other'] as const;

const text = (max: number) => z.string().trim().max(max);

export const actions = {
	approve: async (event) => {
		const actor = requirePermission(event, 'manage.view');
		const data = await event.request.formData();
		const id = idField(data.get('adoptionId'));
		if (!id) return fail(400, { error: m.manage_error_not_found() });
		return manageAction(() => approveAdoption(getDb(), actor, id, { origin: event.url.origin }), { done: 'approved', adoptionId: id }, { adoptionId: id });
	},
	reject: async (event) => {
		const actor = requirePermission(event, 'manage.view');
		const data = await event.request.formData();
		const id = idField(data.get('adoptionId'));
		const parsed = z
			.object({ template: z.enum(REJECT_TEMPLATES), note: text(1000) })
			.safeParse({ template: data.get('template'), note: data.get('note') ?? '' });
		if (!id || !parsed.success) return fail(400, { adoptionId: id, error: m.manage_error_reason() });
		const { template, note } = parsed.data;
		if (template === 'other' && !note) return fail(400, { adoptionId: id, error: m.manage_error_reason() });
		const templateText = {
			full: m.manage_reject_full,
			own_maintenance: m.manage_reject_own_maintenance,
			unsafe: m.manage_reject_unsafe,
			other: () => ''
		}[template]();
		const reason = [templateText, note].filter(Boolean).join(' ');
		return manageAction(() => rejectAdoption(getDb(), actor, id, { reason, origin: event.url.origin }), { done: 'rejected', adoptionId: id }, { adoptionId: id });
	},
	question: async (event) => {
		const actor = requirePermission(event, 'manage.view');
		const data = await event.request.formData();
		const id = idField(data.get('adoptionId'));
		const question = text(1000).min(3).safeParse(data.get('question') ?? '');
		if (!id || !question.success) return fail(400, { adoptionId: id, error: m.manage_error_question() });
		return manageAction(() => askQuestion(getDb(), actor, id, question.data, event.url.origin), { done: 'asked', adoptionId: id }, { adoptionId: id });
	},
	bulk: async (event) => {
		const actor = requirePermission(event, 'manage.view');
		const data = await event.request.formData();
		// "Approve all on this page" sends the page's ids; the other button only the ticked ones.
		const field = data.get('scope') === 'page' ? 'pageIds' : 'adoptionIds';
		const ids = data.getAll(field).map(idField).filter((n): n is number => n !== null);
		if (ids.length === 0) return fail(400, { error: m.manage_error_none_selected() });
		const result = await bulkApprove(getDb(), actor, ids, event.url.origin);
		return { done: 'bulk', approved: result.approved.length, refused: result.refused.length };
	}
} satisfies Actions;

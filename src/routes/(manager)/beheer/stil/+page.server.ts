import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import * as m from '#lib/paraglide/messages.js';
import { requirePermission } from '#server/auth';
import { getDb } from '#server/db';
import { endAdoption, nudgeAdoption, staleWeeks, listStale, manageAction } from '#server/adoptions';
import { idField } from '#server/http';
import { pageParam } from '#lib/domain/paging.js';
import type { Actions, PageServerLoad } from './$types';

// Quiet adoptions: nudge the adopter first; ending one is the manager's own decision, never automatic.
function weeksOf(url: URL): number {
	const parsed = z.coerce.number().int().min(1).max(104).safeParse(url.searchParams.get('weken') ?? undefined);
	return parsed.success ? parsed.data : staleWeeks();
}

export const load = (async (event) => {
	const actor = requirePermission(event, 'manage.view');
	const weeks = weeksOf(event.url);
	const stale = await listStale(getDb(), weeks, { page: pageParam(event.url.searchParams) });
	return { role: actor.role, weeks, stale };
}) satisfies PageServerLoad;

export const actions = {
	nudge: async (event) => {
		const actor = requirePermission(event, 'manage.view');
		const id = idField((await event.request.formData()).get('adoptionId'));
		if (!id) return fail(400, { error: m.manage_error_not_found() });
		return manageAction(() => nudgeAdoption(getDb(), actor, id, weeksOf(event.url), event.url.origin), { done: 'nudged' });
	},
	end: async (event) => {
		const actor = requirePermission(event, 'manage.end_adoption');
		const data = await event.request.formData();
		const id = idField(data.get('adoptionId'));
		const reason = z.string().trim().min(3).max(1000).safeParse(data.get('reason') ?? '');
		if (!id || !reason.success) return fail(400, { error: m.manage_error_reason() });
		return manageAction(() => endAdoption(getDb(), actor, id, { reason: reason.data, origin: event.url.origin }), { done: 'ended' });
	}
} satisfies Actions;

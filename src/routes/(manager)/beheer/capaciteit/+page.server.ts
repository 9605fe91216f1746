import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import * as m from '#lib/paraglide/messages.js';
import { MAX_ADOPTERS_LIMIT } from '#lib/domain/adoption.js';
import { requirePermission } from '#server/auth';
import { getDb } from '#server/db';
import { setKindCapacity, kindCapacities } from '#server/plots';
import { manageFailure } from '#server/adoptions';
import type { Actions, PageServerLoad } from './$types';

// Capacity per plot kind (one plot's own capacity is on /beheer/perken/[id]).
export const load = (async (event) => {
	const actor = requirePermission(event, 'manage.view');
	return { role: actor.role, kinds: await kindCapacities(getDb()), limit: MAX_ADOPTERS_LIMIT };
}) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const actor = requirePermission(event, 'manage.view');
		const data = await event.request.formData();
		const parsed = z
			.object({ kind: z.string().trim().min(1).max(100), maxAdopters: z.coerce.number().int().min(1).max(MAX_ADOPTERS_LIMIT) })
			.safeParse({ kind: data.get('kind'), maxAdopters: data.get('maxAdopters') });
		if (!parsed.success) return fail(400, { error: m.manage_error_bad_capacity() });
		try {
			const result = await setKindCapacity(getDb(), actor, parsed.data.kind, parsed.data.maxAdopters);
			return { saved: true, kind: parsed.data.kind, ...result };
		} catch (e) {
			return manageFailure(e);
		}
	}
} satisfies Actions;

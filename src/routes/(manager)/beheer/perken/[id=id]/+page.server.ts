import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import * as m from '#lib/paraglide/messages.js';
import { MAX_ADOPTERS_LIMIT } from '#lib/domain/adoption.js';
import { requirePermission } from '#server/auth';
import { getDb } from '#server/db';
import { endPlotAdoption, currentAdoptions, manageAction } from '#server/adoptions';
import { setAdoptable, setPlotCapacity, managedPlot } from '#server/plots';
import { idField } from '#server/http';
import type { Actions, PageServerLoad } from './$types';

// One plot for a manager: who holds its places (and ending an adoption), its capacity, and
// whether it can be adopted (with a reason).
export const load = (async (event) => {
	const actor = requirePermission(event, 'manage.view');
	const id = Number(event.params.id);
	const plot = await managedPlot(getDb(), id);
	if (!plot) error(404, m.error_not_found());
	return { role: actor.role, plot, adoptions: await currentAdoptions(getDb(), plot.id), limit: MAX_ADOPTERS_LIMIT };
}) satisfies PageServerLoad;

export const actions = {
	capacity: async (event) => {
		const actor = requirePermission(event, 'manage.view');
		const id = Number(event.params.id);
		const max = z.coerce.number().int().min(1).max(MAX_ADOPTERS_LIMIT).safeParse((await event.request.formData()).get('maxAdopters'));
		if (!id || !max.success) return fail(400, { error: m.manage_error_bad_capacity() });
		return manageAction(() => setPlotCapacity(getDb(), actor, id, max.data), { saved: 'capacity' });
	},
	adoptable: async (event) => {
		const actor = requirePermission(event, 'manage.view');
		const id = Number(event.params.id);
		const data = await event.request.formData();
		const parsed = z
			.object({ adoptable: z.enum(['yes', 'no']), reason: z.string().trim().max(500) })
			.safeParse({ adoptable: data.get('adoptable'), reason: data.get('reason') ?? '' });
		if (!id || !parsed.success) return fail(400, { error: m.manage_error_reason() });
		if (parsed.data.adoptable === 'no' && parsed.data.reason.length < 3) {
			return fail(400, { error: m.manage_error_reason() });
		}
		return manageAction(() => setAdoptable(getDb(), actor, id, { adoptable: parsed.data.adoptable === 'yes', reason: parsed.data.reason }), { saved: 'adoptable' });
	},
	end: async (event) => {
		const actor = requirePermission(event, 'manage.end_adoption');
		const plotId = Number(event.params.id);
		const data = await event.request.formData();
		const adoptionId = idField(data.get('adoptionId'));
		const reason = z.string().trim().min(3).max(1000).safeParse(data.get('reason') ?? '');
		if (!plotId || !adoptionId || !reason.success) return fail(400, { adoptionId, error: m.manage_error_reason() });
		return manageAction(() => endPlotAdoption(getDb(), actor, { plotId, adoptionId, reason: reason.data, origin: event.url.origin }), { saved: 'ended' }, { adoptionId });
	}
} satisfies Actions;

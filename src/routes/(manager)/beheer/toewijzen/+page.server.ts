import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import * as m from '#lib/paraglide/messages.js';
import { requirePermission, emailField } from '#server/auth';
import { getDb } from '#server/db';
import { assignPlot, manageAction } from '#server/adoptions';
import { findTeams, TeamQuerySchema } from '#server/teams';
import { formFields } from '#server/http';
import type { Actions, PageServerLoad } from './$types';

// Direct assignment: a manager offers a plot to a resident (by e-mail) or a team; they confirm.
// Teams are found by name (?groep=, a plain GET search), then picked from the list.
export const load = (async (event) => {
	const actor = requirePermission(event, 'manage.view');
	const params = event.url.searchParams;
	const plotId = z.string().regex(/^\d{1,10}$/).catch('').parse(params.get('perk') ?? '');
	const teamQuery = TeamQuerySchema.parse(params.get('groep') ?? '');
	const found = teamQuery ? await findTeams(getDb(), teamQuery) : null;
	return { role: actor.role, plotId, teamQuery, found };
}) satisfies PageServerLoad;

const AssignSchema = () =>
	z
		.object({
			plotId: z.coerce.number({ error: () => m.manage_error_plot() }).int().positive({ error: () => m.manage_error_plot() }),
			email: z.union([z.literal(''), emailField()]),
			teamId: z.union([z.literal(''), z.coerce.number().int().positive()]),
			note: z.string().trim().max(1000)
		})
		.refine((v) => (v.email === '') !== (v.teamId === ''), { message: m.manage_error_assignee(), path: ['email'] });

export const actions = {
	default: async (event) => {
		const actor = requirePermission(event, 'manage.view');
		const data = await event.request.formData();
		const values = formFields(data, ['plotId', 'email', 'teamId', 'note']);
		const parsed = AssignSchema().safeParse(values);
		if (!parsed.success) return fail(400, { ...values, error: parsed.error.issues[0]?.message ?? m.manage_error_plot() });
		const input = parsed.data;
		return manageAction(
			() =>
				assignPlot(getDb(), actor, {
					plotId: input.plotId,
					email: input.email || undefined,
					teamId: input.teamId === '' ? undefined : input.teamId,
					note: input.note || null,
					origin: event.url.origin
				}),
			{ offered: true, plotId: input.plotId },
			values
		);
	}
} satisfies Actions;

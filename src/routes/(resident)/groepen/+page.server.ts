import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import * as m from '#lib/paraglide/messages.js';
import { localizeHref } from '#lib/paraglide/runtime.js';
import { TEAM_KINDS } from '#lib/domain/team.js';
import { createTeam, listMyTeams } from '#server/teams';
import { fieldErrors, formValues, nameField } from '#server/http';
import { requireUser } from '#server/auth';
import { getDb } from '#server/db';
import { limitPosting } from '#server/ratelimit';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	const { user } = requireUser(event);
	const teams = await listMyTeams(getDb(), user.id);
	return {
		teams: teams.map((t) => ({ ...t, href: localizeHref(`/groepen/${t.id}`) })),
		kinds: TEAM_KINDS,
		left: event.url.searchParams.has('verlaten')
	};
}) satisfies PageServerLoad;

const TeamSchema = () =>
	z.object({
		name: nameField(m.team_error_name, { min: 2, max: 60 }),
		kind: z.enum(TEAM_KINDS, { error: () => m.team_error_kind() })
	});

export const actions = {
	create: async (event) => {
		const { user, actor } = requireUser(event);
		const raw = formValues(await event.request.formData());
		const values = { name: raw.name ?? '', kind: raw.kind ?? '' };
		const parsed = TeamSchema().safeParse(values);
		if (!parsed.success) return fail(400, { ...values, errors: fieldErrors(parsed.error) });
		const limit = await limitPosting(getDb(), user.id, event.getClientAddress());
		if (!limit.allowed) {
			const minutes = Math.max(1, Math.ceil(limit.retryAfterSeconds / 60));
			return fail(429, { ...values, errors: { form: m.adopt_error_rate_limited({ minutes }) } as Record<string, string> });
		}
		const id = await createTeam(getDb(), actor, parsed.data);
		redirect(303, localizeHref(`/groepen/${id}`));
	}
} satisfies Actions;

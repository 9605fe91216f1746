import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import * as m from '#lib/paraglide/messages.js';
import { localizeHref } from '#lib/paraglide/runtime.js';
import { adoptionErrorMessage } from '#lib/components/adoptions/labels.js';
import { createInviteLink, inviteByEmail, inviteUrl, leaveTeam, teamDetail } from '#server/teams';
import { isAdoptionError } from '#server/adoptions';
import { emailField, requireVisible } from '#server/auth';
import { formValues } from '#server/http';
import { getDb } from '#server/db';
import { limitPosting } from '#server/ratelimit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** Only members see a team; anyone else gets 404, as if it did not exist. */
async function memberTeam(event: RequestEvent | Parameters<PageServerLoad>[0]) {
	const actor = requireVisible(event, 'account.own');
	const team = await teamDetail(getDb(), actor.id, Number(event.params.id));
	if (!team) error(404, m.error_not_found());
	return { actor, team };
}

export const load = (async (event) => {
	const { team } = await memberTeam(event);
	return { team, backHref: localizeHref('/groepen') };
}) satisfies PageServerLoad;

export const actions = {
	invite: async (event) => {
		const { actor, team } = await memberTeam(event);
		const values = formValues(await event.request.formData());
		const parsed = z.object({ email: emailField() }).safeParse(values);
		if (!parsed.success) return fail(400, { form: 'invite', email: values.email, error: m.team_error_email() });
		const limit = await limitPosting(getDb(), actor.id, event.getClientAddress());
		if (!limit.allowed) {
			const minutes = Math.max(1, Math.ceil(limit.retryAfterSeconds / 60));
			return fail(429, { form: 'invite', email: values.email, error: m.adopt_error_rate_limited({ minutes }) });
		}
		await inviteByEmail(getDb(), actor, team.id, parsed.data.email, event.url.origin);
		return { form: 'invite', sent: true };
	},
	link: async (event) => {
		const { actor, team } = await memberTeam(event);
		const token = await createInviteLink(getDb(), actor, team.id);
		return { form: 'link', link: inviteUrl(event.url.origin, token) };
	},
	leave: async (event) => {
		const { actor, team } = await memberTeam(event);
		try {
			await leaveTeam(getDb(), actor, team.id);
		} catch (e) {
			if (!isAdoptionError(e)) throw e;
			return fail(400, { form: 'leave', error: adoptionErrorMessage(e.code) });
		}
		redirect(303, `${localizeHref('/groepen')}?verlaten`);
	}
} satisfies Actions;

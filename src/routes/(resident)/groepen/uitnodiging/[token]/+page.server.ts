import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import * as m from '#lib/paraglide/messages.js';
import { localizeHref } from '#lib/paraglide/runtime.js';
import { adoptionErrorMessage } from '#lib/components/adoptions/labels.js';
import { acceptInvite, inviteInfo } from '#server/teams';
import { isAdoptionError } from '#server/adoptions';
import { requireUser } from '#server/auth';
import { getDb } from '#server/db';
import type { Actions, PageServerLoad } from './$types';

const Token = z.string().regex(/^[A-Za-z0-9_-]{20,64}$/);

// Visitors who are not signed in go to sign in and come back here (requireUser).
export const load = (async (event) => {
	const { actor } = requireUser(event);
	const token = Token.safeParse(event.params.token);
	const invite = token.success ? await inviteInfo(getDb(), actor, token.data) : null;
	if (!invite) error(404, m.error_not_found());
	// Someone else's mailed invitation: say so, without the team's name or the invited address.
	if (!invite.mayJoin) {
		return { invite: null, refusal: m.team_invite_error_other_address(), signOutHref: localizeHref('/afmelden') };
	}
	return { invite: { teamName: invite.teamName, kind: invite.kind }, refusal: null, signOutHref: null };
}) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const { actor } = requireUser(event);
		const token = Token.safeParse(event.params.token);
		if (!token.success) error(404, m.error_not_found());
		let teamId: number;
		try {
			teamId = await acceptInvite(getDb(), actor, token.data);
		} catch (e) {
			if (!isAdoptionError(e)) throw e;
			return fail(e.code === 'invite-other-address' ? 403 : 400, { error: adoptionErrorMessage(e.code) });
		}
		redirect(303, localizeHref(`/groepen/${teamId}`));
	}
} satisfies Actions;

import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import * as m from '#lib/paraglide/messages.js';
import { localizeHref } from '#lib/paraglide/runtime.js';
import { getDb } from '#server/db';
import { SESSION_COOKIE, requireUser } from '#server/auth';
import { formValues } from '#server/http';
import { deleteAccount } from '#server/privacy';
import type { Actions, PageServerLoad } from './$types';

export const load = ((event) => {
	const { user } = requireUser(event);
	return { email: user.email };
}) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const { user } = requireUser(event);
		const values = formValues(await event.request.formData());
		// Typing the address is the confirmation: no accidental deletes from a stray tap.
		const parsed = z
			.object({ confirmEmail: z.string().trim().toLowerCase() })
			.safeParse(values);
		if (!parsed.success || parsed.data.confirmEmail !== user.email) {
			return fail(400, {
				confirmEmail: values.confirmEmail ?? '',
				errors: { confirmEmail: m.auth_delete_confirm_mismatch() }
			});
		}
		await deleteAccount(getDb(), user.id);
		event.cookies.delete(SESSION_COOKIE, { path: '/' });
		redirect(303, localizeHref('/tot-ziens'));
	}
} satisfies Actions;

import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import * as m from '#lib/paraglide/messages.js';
import { getDb } from '#server/db';
import { fieldErrors, formValues, nameField } from '#server/http';
import { requireUser, endOtherSessions, listSessions, updateProfile } from '#server/auth';
import { EMAIL_TOPICS, emailTopics, setEmailTopics } from '#server/notifications';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	const { user } = requireUser(event);
	const [sessions, wantedTopics] = await Promise.all([listSessions(getDb(), user.id), emailTopics(getDb(), user.id)]);
	return {
		mailTopics: { topics: EMAIL_TOPICS, wanted: wantedTopics },
		account: {
			email: user.email,
			displayName: user.displayName,
			locale: user.locale,
			role: user.role,
			demo: user.demo
		},
		sessions: sessions.map((s) => ({ ...s, current: s.id === event.locals.session?.id }))
	};
}) satisfies PageServerLoad;

const ProfileSchema = () =>
	z.object({
		displayName: nameField(m.auth_error_display_name, { max: 40 }).transform((v) => v || null),
		locale: z.enum(['nl', 'en']).default('nl')
	});

export const actions = {
	profile: async (event) => {
		const { user } = requireUser(event);
		const values = formValues(await event.request.formData());
		const parsed = ProfileSchema().safeParse(values);
		if (!parsed.success) {
			return fail(400, { form: 'profile', ...values, errors: fieldErrors(parsed.error) });
		}
		await updateProfile(getDb(), user.id, parsed.data);
		return { form: 'profile', saved: true };
	},
	mailTopics: async (event) => {
		const { user } = requireUser(event);
		const data = await event.request.formData();
		// Unknown values are dropped: only the listed topics can be chosen.
		const wanted = EMAIL_TOPICS.filter((t) => data.getAll('topics').includes(t));
		await setEmailTopics(getDb(), user.id, wanted);
		return { form: 'mailTopics', saved: true };
	},
	endSessions: async (event) => {
		const { user } = requireUser(event);
		const ended = await endOtherSessions(getDb(), user.id, event.locals.session?.id ?? '');
		return { form: 'sessions', ended };
	}
} satisfies Actions;

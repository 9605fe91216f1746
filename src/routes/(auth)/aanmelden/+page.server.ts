import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { localizeHref } from '#lib/paraglide/runtime.js';
import { requestMagicLink, signIn, emailField, flowFailure, passwordField, redirectField, safeRedirectTarget, flowContext, demoAccountsShown } from '#server/auth';
import { fieldErrors, formValues } from '#server/http';
import type { Actions, PageServerLoad } from './$types';

export const load = (({ locals, url }) => {
	const redirectTo = safeRedirectTarget(url.searchParams.get('redirectTo'), '');
	if (locals.user) redirect(303, redirectTo || localizeHref('/account'));
	return {
		redirectTo,
		passwordReset: url.searchParams.has('herstel'),
		demo: demoAccountsShown()
	};
}) satisfies PageServerLoad;

export const actions = {
	password: async (event) => {
		const values = formValues(await event.request.formData());
		const parsed = z
			.object({ email: emailField(), password: passwordField(), redirectTo: redirectField() })
			.safeParse(values);
		const keep = { form: 'password', email: values.email ?? '', redirectTo: values.redirectTo ?? '' };
		if (!parsed.success) return fail(400, { ...keep, errors: fieldErrors(parsed.error) });
		const result = await signIn(flowContext(event), parsed.data);
		if (!result.ok) return flowFailure(result, keep);
		redirect(303, safeRedirectTarget(parsed.data.redirectTo, localizeHref('/account')));
	},
	link: async (event) => {
		const values = formValues(await event.request.formData());
		const parsed = z.object({ email: emailField() }).safeParse(values);
		const keep = { form: 'link', linkEmail: values.email ?? '' };
		if (!parsed.success) return fail(400, { ...keep, errors: fieldErrors(parsed.error) });
		const result = await requestMagicLink(flowContext(event), parsed.data.email);
		if (!result.ok) return flowFailure(result, keep);
		return { ...keep, linkSent: true };
	}
} satisfies Actions;

import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { localizeHref } from '#lib/paraglide/runtime.js';
import { signUp, emailField, flowFailure, newPasswordField, flowContext } from '#server/auth';
import { fieldErrors, formValues } from '#server/http';
import type { Actions, PageServerLoad } from './$types';

export const load = (({ locals }) => {
	if (locals.user) redirect(303, localizeHref('/account'));
}) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const values = formValues(await event.request.formData());
		const parsed = z.object({ email: emailField(), password: newPasswordField() }).safeParse(values);
		const keep = { email: values.email ?? '' };
		if (!parsed.success) return fail(400, { ...keep, errors: fieldErrors(parsed.error) });
		const result = await signUp(flowContext(event), parsed.data);
		if (!result.ok) return flowFailure(result, keep);
		return { ...keep, sent: true };
	}
} satisfies Actions;

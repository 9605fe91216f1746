import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { localizeHref } from '#lib/paraglide/runtime.js';
import { resetPassword, flowFailure, newPasswordField, flowContext } from '#server/auth';
import { fieldErrors, formValues } from '#server/http';
import type { Actions, PageServerLoad } from './$types';

export const load = (({ url }) => ({ token: url.searchParams.get('token') ?? '' })) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const values = formValues(await event.request.formData());
		const parsed = z
			.object({ token: z.string().min(1).max(200), password: newPasswordField() })
			.safeParse(values);
		if (!parsed.success) {
			return fail(400, { token: values.token ?? '', errors: fieldErrors(parsed.error) });
		}
		const result = await resetPassword(flowContext(event), parsed.data);
		if (!result.ok) return flowFailure(result, { token: values.token ?? '' });
		redirect(303, `${localizeHref('/aanmelden')}?herstel=1`);
	}
} satisfies Actions;

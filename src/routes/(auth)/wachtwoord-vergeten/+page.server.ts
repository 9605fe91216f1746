import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { requestPasswordReset, emailField, flowFailure, flowContext } from '#server/auth';
import { fieldErrors, formValues } from '#server/http';
import type { Actions } from './$types';

export const actions = {
	default: async (event) => {
		const values = formValues(await event.request.formData());
		const parsed = z.object({ email: emailField() }).safeParse(values);
		const keep = { email: values.email ?? '' };
		if (!parsed.success) return fail(400, { ...keep, errors: fieldErrors(parsed.error) });
		const result = await requestPasswordReset(flowContext(event), parsed.data.email);
		if (!result.ok) return flowFailure(result, keep);
		// The same answer whether or not the address has an account.
		return { ...keep, sent: true };
	}
} satisfies Actions;

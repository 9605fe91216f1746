import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { localizeHref } from '#lib/paraglide/runtime.js';
import { useMagicLink, flowErrorMessage, flowErrorStatus, flowContext } from '#server/auth';
import { formValues } from '#server/http';
import type { Actions, PageServerLoad } from './$types';

// The link only opens this page; the button signs in. Mail scanners that fetch every
// link would otherwise use up the one-time token before the person clicks.
export const load = (({ url }) => ({ token: url.searchParams.get('token') ?? '' })) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const parsed = z
			.object({ token: z.string().min(1).max(200) })
			.safeParse(formValues(await event.request.formData()));
		if (!parsed.success) return fail(400, { error: flowErrorMessage('invalid_token') });
		const result = await useMagicLink(flowContext(event), parsed.data.token);
		if (!result.ok) {
			return fail(flowErrorStatus(result.error), {
				error: flowErrorMessage(result.error, result.retryAfterSeconds)
			});
		}
		redirect(303, localizeHref('/account'));
	}
} satisfies Actions;

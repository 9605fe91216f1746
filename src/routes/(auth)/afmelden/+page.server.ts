import { redirect } from '@sveltejs/kit';
import { localizeHref } from '#lib/paraglide/runtime.js';
import { signOut, flowContext } from '#server/auth';
import type { Actions, PageServerLoad } from './$types';

export const load = (({ locals }) => {
	if (!locals.user) redirect(303, localizeHref('/'));
}) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		await signOut(flowContext(event));
		redirect(303, localizeHref('/'));
	}
} satisfies Actions;

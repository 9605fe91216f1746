import { error } from '@sveltejs/kit';
import { z } from 'zod';
import * as m from '$lib/paraglide/messages';
import { localizeHref } from '$lib/paraglide/runtime';
import type { PlotPageData } from '$lib/components/plots/types';
import { signInUrl } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { plotDetail } from '$lib/server/plots/detail';
import type { PageServerLoad } from './$types';

// Plot ids are positive integers as written in links: "12", not "012", "12.0" or "1e3".
const Params = z.object({ id: z.string().regex(/^[1-9]\d{0,9}$/).transform(Number) });

export const load = (async ({ params, locals, url }) => {
	const parsed = Params.safeParse(params);
	const plot = parsed.success ? await plotDetail(getDb(), parsed.data.id) : null;
	if (!plot) error(404, { message: m.plot_not_found_title() });
	return {
		plot,
		adopt: {
			signedIn: locals.user !== null,
			signInHref: signInUrl({ url }),
			signUpHref: localizeHref('/registreren')
		}
	} satisfies PlotPageData;
}) satisfies PageServerLoad;

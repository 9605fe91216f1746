import { error } from '@sveltejs/kit';
import * as m from '#lib/paraglide/messages.js';
import { localizeHref } from '#lib/paraglide/runtime.js';
import type { PlotPageData } from '#lib/components/plots/types.js';
import type { PublicCare } from '#lib/domain/care.js';
import { publicCare } from '#server/activities';
import { plotAdoptionSummary, publicTimeline } from '#server/adoptions';
import { SIGN_IN_PATH } from '#server/auth';
import { getDb } from '#server/db';
import { plotDetail } from '#server/plots';
import type { PageServerLoad } from './$types';

export const load = (async ({ params, locals }) => {
	// The id matcher (src/params/id.ts) lets only well-formed ids reach this route.
	const plot = await plotDetail(getDb(), Number(params.id));
	if (!plot) error(404, { message: m.plot_not_found_title() });
	const adoptPath = `/plots/${plot.id}/adopteren`;
	// Signing in from a plot leads on to its adoption form.
	const back = `?redirectTo=${encodeURIComponent(localizeHref(adoptPath))}`;
	const [summary, timeline, care] = await Promise.all([
		plotAdoptionSummary(getDb(), plot.id, locals.user?.id),
		publicTimeline(getDb(), plot.id),
		publicCare(getDb(), plot.id, { viewerId: locals.user?.id })
	]);
	return {
		plot,
		adopt: {
			signedIn: locals.user !== null,
			signInHref: localizeHref(SIGN_IN_PATH) + back,
			signUpHref: localizeHref('/registreren'),
			adoptHref: localizeHref(adoptPath),
			myPlotsHref: localizeHref('/mijn-perken'),
			mine: summary.mine
		},
		timeline,
		care,
		// Its adopters (alone or through a team) log care from here; the form checks again.
		careHref: summary.mine?.status === 'active' ? localizeHref(`/plots/${plot.id}/onderhoud`) : null
	} satisfies PlotPageData & { care: PublicCare; careHref: string | null };
}) satisfies PageServerLoad;

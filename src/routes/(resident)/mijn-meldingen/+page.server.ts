import { localizeHref } from '#lib/paraglide/runtime.js';
import { requireUser } from '#server/auth';
import { getDb } from '#server/db';
import { myReports } from '#server/reports';
import type { PageServerLoad } from './$types';

export const load = (async (event) => {
	const { actor } = requireUser(event);
	const reports = await myReports(getDb(), actor.id);
	return {
		reports: reports.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), href: localizeHref(`/meldingen/${r.id}`) })),
		newHref: localizeHref('/meldingen/nieuw')
	};
}) satisfies PageServerLoad;

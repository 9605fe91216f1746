import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import * as m from '$lib/paraglide/messages';
import { localizeHref } from '$lib/paraglide/runtime';
import { adoptionErrorMessage } from '$lib/components/adoptions/labels';
import {
	cancelRequest,
	confirmOffer,
	declineOffer,
	endAdoption,
	isAdoptionError,
	listMyPlots
} from '$lib/server/adoptions';
import { formValues } from '$lib/server/auth/forms';
import { requireUser } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load = (async (event) => {
	const { user } = requireUser(event);
	const adoptions = await listMyPlots(getDb(), user.id);
	const requested = Number(event.url.searchParams.get('aangevraagd')) || null;
	return {
		adoptions: adoptions.map((a) => ({ ...a, plotHref: localizeHref(`/plots/${a.plotId}`) })),
		requested,
		mapHref: localizeHref('/')
	};
}) satisfies PageServerLoad;

const ActionSchema = z.object({
	adoptionId: z.coerce.number().int().positive(),
	reason: z.string().trim().max(1000).default('')
});

type Step = typeof cancelRequest;

/** One button on one adoption: the service decides whether this person may. */
async function step(event: RequestEvent, run: Step) {
	const { actor } = requireUser(event);
	const values = formValues(await event.request.formData());
	const parsed = ActionSchema.safeParse(values);
	if (!parsed.success) return fail(400, { adoptionId: values.adoptionId, reason: values.reason, error: m.adopt_error_not_found() });
	try {
		await run(getDb(), actor, parsed.data.adoptionId, { reason: parsed.data.reason || null, origin: event.url.origin });
	} catch (e) {
		if (!isAdoptionError(e)) throw e;
		return fail(400, { adoptionId: values.adoptionId, reason: values.reason, error: adoptionErrorMessage(e.code) });
	}
	return { adoptionId: values.adoptionId, done: true };
}

export const actions = {
	cancel: (event) => step(event, cancelRequest),
	confirm: (event) => step(event, confirmOffer),
	decline: (event) => step(event, declineOffer),
	end: (event) => step(event, endAdoption)
} satisfies Actions;

import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import * as m from '#lib/paraglide/messages.js';
import { localizeHref } from '#lib/paraglide/runtime.js';
import { adoptionErrorMessage } from '#lib/components/adoptions/labels.js';
import { ANSWER_MAX_LENGTH } from '#lib/domain/adoption.js';
import { can } from '#lib/domain/policy.js';
import { answerQuestion, cancelRequest, confirmOffer, declineOffer, endAdoption, isAdoptionError, listMyPlots } from '#server/adoptions';
import { formValues } from '#server/http';
import { requireUser } from '#server/auth';
import { getDb } from '#server/db';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load = (async (event) => {
	const { user, actor } = requireUser(event);
	const adoptions = await listMyPlots(getDb(), user.id);
	const requested = Number(event.url.searchParams.get('aangevraagd')) || null;
	return {
		adoptions: adoptions.map(({ requesterId, ...a }) => ({
			...a,
			plotHref: localizeHref(`/plots/${a.plotId}`),
			careHref: a.status === 'active' ? localizeHref(`/plots/${a.plotId}/onderhoud`) : null,
			// The form shows only to whoever may answer; the action asks the service again.
			canAnswer: a.stage === 'question' && can(actor, 'adoption.answer', { requesterId })
		})),
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

const AnswerSchema = z.object({
	adoptionId: z.coerce.number().int().positive(),
	answer: z.string().trim().min(2).max(ANSWER_MAX_LENGTH)
});

export const actions = {
	/** The requester answers the municipality's question; the text is kept when it is refused. */
	answer: async (event) => {
		const { actor } = requireUser(event);
		const values = formValues(await event.request.formData());
		const kept = { form: 'answer' as const, adoptionId: values.adoptionId, answer: values.answer ?? '' };
		const parsed = AnswerSchema.safeParse(values);
		if (!parsed.success) {
			const badId = parsed.error.issues.some((i) => i.path[0] === 'adoptionId');
			return fail(400, { ...kept, error: badId ? m.adopt_error_not_found() : m.resident_answer_error_length() });
		}
		try {
			await answerQuestion(getDb(), actor, parsed.data.adoptionId, parsed.data.answer);
		} catch (e) {
			if (!isAdoptionError(e)) throw e;
			return fail(400, { ...kept, error: adoptionErrorMessage(e.code) });
		}
		return { form: 'answer' as const, adoptionId: values.adoptionId, answered: true };
	},
	cancel: (event) => step(event, cancelRequest),
	confirm: (event) => step(event, confirmOffer),
	decline: (event) => step(event, declineOffer),
	end: (event) => step(event, endAdoption)
} satisfies Actions;

import { error, fail, redirect } from '@sveltejs/kit';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import * as m from '#lib/paraglide/messages.js';
import { localizeHref } from '#lib/paraglide/runtime.js';
import { adoptionErrorMessage } from '#lib/components/adoptions/labels.js';
import { can } from '#lib/domain/policy.js';
import { currentAgreement, isAdoptionError, plotAdoptionSummary, requestAdoption } from '#server/adoptions';
import { listMyTeams } from '#server/teams';
import { fieldErrors, formValues } from '#server/http';
import { requireUser } from '#server/auth';
import { getDb } from '#server/db';
import { plotDetail } from '#server/plots';
import { limitPosting } from '#server/ratelimit';
import type { Actions, PageServerLoad } from './$types';

async function loadPlot(params: Record<string, string>) {
	const plot = await plotDetail(getDb(), Number(params.id));
	if (!plot) error(404, { message: m.plot_not_found_title() });
	return plot;
}

export const load = (async (event) => {
	const { user, actor } = requireUser(event);
	const plot = await loadPlot(event.params);
	const [agreement, teams, summary] = await Promise.all([
		currentAgreement(getDb()),
		listMyTeams(getDb(), user.id),
		plotAdoptionSummary(getDb(), plot.id, user.id)
	]);
	return {
		plot: { id: plot.id, state: plot.state, retired: plot.retired },
		agreement,
		teams: teams.map((t) => ({ id: t.id, name: t.name })),
		mine: summary.mine,
		verified: can(actor, 'adoption.request'),
		// One key per rendered form: a double tap sends it twice and makes one request.
		idempotencyKey: randomUUID(),
		myPlotsHref: localizeHref('/mijn-perken'),
		plotHref: localizeHref(`/plots/${plot.id}`),
		teamsHref: localizeHref('/groepen')
	};
}) satisfies PageServerLoad;

const RequestSchema = () =>
	z.object({
		adopter: z.string({ error: () => m.adopt_error_team() }).regex(/^(alone|\d{1,10})$/),
		motivation: z.string({ error: () => m.adopt_error_motivation() }).trim().max(1000).default(''),
		accept: z.literal('on', { error: () => m.adopt_error_agreement() }),
		agreementVersion: z.coerce.number().int().positive(),
		idempotencyKey: z.string().min(8).max(100)
	});

export const actions = {
	default: async (event) => {
		const { user, actor } = requireUser(event);
		const plot = await loadPlot(event.params);
		const values = formValues(await event.request.formData());
		const keep = { adopter: values.adopter, motivation: values.motivation, idempotencyKey: values.idempotencyKey };
		if (!can(actor, 'adoption.request')) {
			return fail(403, { ...keep, errors: { form: m.adopt_error_not_verified() } });
		}
		const parsed = RequestSchema().safeParse(values);
		if (!parsed.success) return fail(400, { ...keep, errors: fieldErrors(parsed.error) });
		const limit = await limitPosting(getDb(), user.id, event.getClientAddress());
		if (!limit.allowed) {
			const minutes = Math.max(1, Math.ceil(limit.retryAfterSeconds / 60));
			return fail(429, { ...keep, errors: { form: m.adopt_error_rate_limited({ minutes }) } });
		}
		const { adopter, motivation, agreementVersion, idempotencyKey } = parsed.data;
		try {
			await requestAdoption(getDb(), actor, {
				plotId: plot.id,
				teamId: adopter === 'alone' ? null : Number(adopter),
				motivation: motivation || null,
				agreementVersion,
				idempotencyKey
			});
		} catch (e) {
			if (!isAdoptionError(e)) throw e;
			return fail(400, { ...keep, errors: { form: adoptionErrorMessage(e.code) } });
		}
		redirect(303, `${localizeHref('/mijn-perken')}?aangevraagd=${plot.id}`);
	}
} satisfies Actions;

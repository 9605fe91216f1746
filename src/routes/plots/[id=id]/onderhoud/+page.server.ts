import { error, fail, redirect } from '@sveltejs/kit';
import { randomUUID } from 'node:crypto';
import * as m from '#lib/paraglide/messages.js';
import { localizeHref } from '#lib/paraglide/runtime.js';
import { careFailure, careForm, logActivity, readCareForm } from '#server/activities';
import { requireUser } from '#server/auth';
import { getDb } from '#server/db';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	const { actor } = requireUser(event);
	const plotId = Number(event.params.id);
	const form = await careForm(getDb(), actor, plotId);
	if (!form) error(404, { message: m.plot_not_found_title() });
	return {
		plotId,
		tasks: form.tasks,
		range: form.doneOn,
		allowed: form.allowed,
		// One key per rendered form: a double tap, or a resend of a form kept offline, makes one entry.
		idempotencyKey: randomUUID(),
		plotHref: localizeHref(`/plots/${plotId}`)
	};
}) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const { actor } = requireUser(event);
		const plotId = Number(event.params.id);
		const read = await readCareForm(getDb(), actor, await event.request.formData(), { ip: event.getClientAddress() });
		if (!read.ok) return fail(read.status, { values: read.values, errors: read.errors });
		try {
			await logActivity(getDb(), actor, plotId, read.input);
		} catch (e) {
			return careFailure(e, read.values);
		}
		redirect(303, `${localizeHref(`/plots/${plotId}`)}?onderhoud=vastgelegd`);
	}
} satisfies Actions;

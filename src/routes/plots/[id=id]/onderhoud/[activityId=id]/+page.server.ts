import { error, fail, redirect } from '@sveltejs/kit';
import * as m from '#lib/paraglide/messages.js';
import { localizeHref } from '#lib/paraglide/runtime.js';
import { ACTIVITY_EDIT_DAYS } from '#lib/domain/activity.js';
import { careFailure, deleteActivity, editActivity, ownActivity, readCareForm } from '#server/activities';
import { requireUser } from '#server/auth';
import { getDb } from '#server/db';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	const { actor } = requireUser(event);
	const plotId = Number(event.params.id);
	const entry = await ownActivity(getDb(), actor, Number(event.params.activityId));
	// Someone else's entry is not there for them: the same answer as no entry at all.
	if (!entry || entry.plotId !== plotId) error(404, { message: m.care_error_not_found() });
	const until = new Date(entry.createdAt.getTime() + ACTIVITY_EDIT_DAYS * 86_400_000);
	return {
		plotId,
		entry,
		// Past the window the page says so itself, without a form: the error page would only
		// say "not for your account", which is not why.
		locked: !entry.changeable,
		editUntil: until.toISOString(),
		plotHref: localizeHref(`/plots/${plotId}`)
	};
}) satisfies PageServerLoad;

export const actions = {
	save: async (event) => {
		const { actor } = requireUser(event);
		const plotId = Number(event.params.id);
		const read = await readCareForm(getDb(), actor, await event.request.formData(), { ip: event.getClientAddress() });
		if (!read.ok) return fail(read.status, { values: read.values, errors: read.errors });
		try {
			await editActivity(getDb(), actor, Number(event.params.activityId), read.input, { plotId });
		} catch (e) {
			return careFailure(e, read.values);
		}
		redirect(303, `${localizeHref(`/plots/${plotId}`)}?onderhoud=gewijzigd`);
	},
	delete: async (event) => {
		const { actor } = requireUser(event);
		const plotId = Number(event.params.id);
		const data = await event.request.formData();
		if (data.get('confirm') !== 'on') return fail(400, { deleteError: m.care_delete_confirm_missing() });
		try {
			await deleteActivity(getDb(), actor, Number(event.params.activityId), { plotId });
		} catch (e) {
			return careFailure(e, null);
		}
		redirect(303, `${localizeHref(`/plots/${plotId}`)}?onderhoud=verwijderd`);
	}
} satisfies Actions;

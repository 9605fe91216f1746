import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import * as m from '#lib/paraglide/messages.js';
import { MAX_ADOPTERS_LIMIT } from '#lib/domain/adoption.js';
import { requirePermission } from '#server/auth';
import { getDb } from '#server/db';
import { endPlotAdoption, currentAdoptions, manageAction } from '#server/adoptions';
import { setAdoptable, setPlotCapacity, managedPlot } from '#server/plots';
import { idField } from '#server/http';
import { MODERATION_REASON_MAX, ModerationError, plotCareHistory, setNoteHidden, setPhotoHidden, type ModerationErrorCode } from '#server/activities';
import type { Actions, PageServerLoad } from './$types';

// One plot for a manager: who holds its places (and ending an adoption), its care log with
// every entry's history (and hiding a note or photo), its capacity, and whether it can be
// adopted (with a reason).
export const load = (async (event) => {
	const actor = requirePermission(event, 'manage.view');
	const id = Number(event.params.id);
	const plot = await managedPlot(getDb(), id);
	if (!plot) error(404, m.error_not_found());
	const [adoptions, care] = await Promise.all([currentAdoptions(getDb(), plot.id), plotCareHistory(getDb(), plot.id)]);
	return { role: actor.role, plot, adoptions, care, limit: MAX_ADOPTERS_LIMIT };
}) satisfies PageServerLoad;

const MODERATION_MESSAGES: Record<ModerationErrorCode, () => string> = {
	forbidden: m.care_manage_error_forbidden,
	'not-found': m.care_manage_error_not_found,
	unchanged: m.care_manage_error_unchanged,
	'no-note': m.care_manage_error_no_note
};

/**
 * Hide or show a note or photo of one of this plot's entries. Hiding needs a reason (kept in
 * the entry's history and the audit log); showing it again does not.
 */
async function moderate(event: Parameters<Actions[string]>[0], what: 'note' | 'photo', hidden: boolean) {
	const actor = requirePermission(event, 'manage.moderate');
	const plotId = Number(event.params.id);
	const data = await event.request.formData();
	const activityId = idField(data.get('activityId'));
	const photoId = idField(data.get('photoId'));
	const reason = z.string().trim().min(3).max(MODERATION_REASON_MAX).safeParse(data.get('reason') ?? '');
	if (!activityId || (what === 'photo' && !photoId)) return fail(400, { activityId, error: m.care_manage_error_not_found() });
	if (hidden && !reason.success) return fail(400, { activityId, error: m.care_manage_error_reason() });
	const change = { hidden, reason: reason.success ? reason.data : undefined };
	try {
		if (what === 'note') await setNoteHidden(getDb(), actor, { plotId, activityId }, change);
		else await setPhotoHidden(getDb(), actor, { plotId, activityId, photoId: photoId! }, change);
	} catch (e) {
		if (!(e instanceof ModerationError)) throw e;
		return fail(e.code === 'forbidden' ? 403 : e.code === 'not-found' ? 404 : 409, { activityId, error: MODERATION_MESSAGES[e.code]() });
	}
	return { moderated: hidden ? ('hidden' as const) : ('shown' as const), activityId };
}

export const actions = {
	capacity: async (event) => {
		const actor = requirePermission(event, 'manage.view');
		const id = Number(event.params.id);
		const max = z.coerce.number().int().min(1).max(MAX_ADOPTERS_LIMIT).safeParse((await event.request.formData()).get('maxAdopters'));
		if (!id || !max.success) return fail(400, { error: m.manage_error_bad_capacity() });
		return manageAction(() => setPlotCapacity(getDb(), actor, id, max.data), { saved: 'capacity' });
	},
	adoptable: async (event) => {
		const actor = requirePermission(event, 'manage.view');
		const id = Number(event.params.id);
		const data = await event.request.formData();
		const parsed = z
			.object({ adoptable: z.enum(['yes', 'no']), reason: z.string().trim().max(500) })
			.safeParse({ adoptable: data.get('adoptable'), reason: data.get('reason') ?? '' });
		if (!id || !parsed.success) return fail(400, { error: m.manage_error_reason() });
		if (parsed.data.adoptable === 'no' && parsed.data.reason.length < 3) {
			return fail(400, { error: m.manage_error_reason() });
		}
		return manageAction(() => setAdoptable(getDb(), actor, id, { adoptable: parsed.data.adoptable === 'yes', reason: parsed.data.reason }), { saved: 'adoptable' });
	},
	end: async (event) => {
		const actor = requirePermission(event, 'manage.end_adoption');
		const plotId = Number(event.params.id);
		const data = await event.request.formData();
		const adoptionId = idField(data.get('adoptionId'));
		const reason = z.string().trim().min(3).max(1000).safeParse(data.get('reason') ?? '');
		if (!plotId || !adoptionId || !reason.success) return fail(400, { adoptionId, error: m.manage_error_reason() });
		return manageAction(() => endPlotAdoption(getDb(), actor, { plotId, adoptionId, reason: reason.data, origin: event.url.origin }), { saved: 'ended' }, { adoptionId });
	},
	hideNote: (event) => moderate(event, 'note', true),
	showNote: (event) => moderate(event, 'note', false),
	hidePhoto: (event) => moderate(event, 'photo', true),
	showPhoto: (event) => moderate(event, 'photo', false)
} satisfies Actions;

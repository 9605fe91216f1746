import { requireUser } from '#server/auth';
import { getDb } from '#server/db';
import { listNotifications, markRead } from '#server/notifications';
import { getLocale } from '#lib/paraglide/runtime.js';
import type { Actions, PageServerLoad } from './$types';

// The resident's in-app notifications (what the e-mails say too, even when e-mail is off), in
// the language of the page they are reading now: mails follow the account's language setting.
export const load = (async (event) => {
	const { user } = requireUser(event);
	const list = await listNotifications(getDb(), user.id, getLocale());
	return { notifications: list.map((n) => ({ ...n, createdAt: n.createdAt.toISOString() })) };
}) satisfies PageServerLoad;

export const actions = {
	/** Marks everything read: one button, no per-item bookkeeping for the resident. */
	read: async (event) => {
		const { user } = requireUser(event);
		await markRead(getDb(), user.id);
		return { marked: true };
	}
} satisfies Actions;

import { requirePermission } from '#server/auth';
import { getDb } from '#server/db';
import { listRecentMail } from '#server/notifications';
import type { PageServerLoad } from './$types';

// What the app mailed, newest first: that a mail went out and how it fared, never its text
// (see listRecentMail: the texts hold sign-in links).
export const load = (async (event) => {
	requirePermission(event, 'admin.users');
	return { mails: await listRecentMail(getDb()) };
}) satisfies PageServerLoad;

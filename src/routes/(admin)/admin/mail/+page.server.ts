import { requirePermission } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { listRecentMail } from '$lib/server/auth/users';
import type { PageServerLoad } from './$types';

// What the app mailed, newest first: with no SMTP configured this is how an operator (or a
// demo admin) sees verification and sign-in links.
export const load = (async (event) => {
	requirePermission(event, 'admin.users');
	return { mails: await listRecentMail(getDb()) };
}) satisfies PageServerLoad;

import { error } from '@sveltejs/kit';
import * as m from '#lib/paraglide/messages.js';
import { getDb } from '#server/db';
import { DemoMailboxQuery, demoMailboxEnabled, demoMailFor } from '#server/mail';
import type { PageServerLoad } from './$types';

export const load = (async ({ url, setHeaders }) => {
	if (!demoMailboxEnabled()) error(404, m.error_not_found());
	// Sign-in links: never in a shared cache.
	setHeaders({ 'cache-control': 'private, no-store' });
	const raw = url.searchParams.get('aan');
	if (raw === null || raw.trim() === '') return { address: '', mails: null, invalid: false };
	const parsed = DemoMailboxQuery.safeParse({ aan: raw.trim() });
	if (!parsed.success) return { address: raw.slice(0, 254), mails: null, invalid: true };
	return {
		address: parsed.data.aan,
		mails: await demoMailFor(getDb(), parsed.data.aan),
		invalid: false
	};
}) satisfies PageServerLoad;

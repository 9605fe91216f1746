import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import * as m from '#lib/paraglide/messages.js';
import { requirePermission } from '#server/auth';
import { getDb } from '#server/db';
import { createOpen311Key, listOpen311Keys, revokeOpen311Key } from '#server/reports';
import type { Actions, PageServerLoad } from './$types';

/** API keys for Open311 clients: made here (shown once), revoked here. */
export const load = (async (event) => {
	requirePermission(event, 'report.configure');
	return { keys: await listOpen311Keys(getDb()), endpoint: `${event.url.origin}/open311/v2` };
}) satisfies PageServerLoad;

export const actions = {
	create: async (event) => {
		const actor = requirePermission(event, 'report.configure');
		const data = await event.request.formData();
		const name = z.string().trim().min(2).max(120).safeParse(String(data.get('name') ?? ''));
		if (!name.success) return fail(400, { name: String(data.get('name') ?? ''), error: m.open311_admin_error_name() });
		const created = await createOpen311Key(getDb(), actor, name.data);
		// The key itself is in this one answer only; the database keeps its hash.
		event.setHeaders({ 'cache-control': 'no-store' });
		return { created: { name: name.data, key: created.key } };
	},
	revoke: async (event) => {
		const actor = requirePermission(event, 'report.configure');
		const data = await event.request.formData();
		const id = z.coerce.number().int().positive().max(2_147_483_647).safeParse(data.get('id'));
		if (!id.success) return fail(400, { error: m.admin_reports_error_gone() });
		const result = await revokeOpen311Key(getDb(), actor, id.data, new Date());
		if (!result.ok) return fail(400, { error: m.admin_reports_error_gone() });
		return { revoked: true };
	}
} satisfies Actions;

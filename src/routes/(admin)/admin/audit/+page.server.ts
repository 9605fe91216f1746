import { AUDIT_ACTIONS } from '#lib/domain/audit.js';
import { requirePermission } from '#server/auth';
import { getDb } from '#server/db';
import { listAudit, parseAuditFilter } from '#server/audit';
import type { PageServerLoad } from './$types';

// The audit trail of manager and admin actions, filterable; read-only (the log is append-only).
export const load = (async (event) => {
	requirePermission(event, 'admin.users');
	const filter = parseAuditFilter(event.url.searchParams);
	const result = await listAudit(getDb(), filter);
	// Every action there is, with the ones the log holds first known; old codes still show.
	const actions = [...new Set<string>([...AUDIT_ACTIONS, ...result.actions])];
	return {
		filter,
		...result,
		actions,
		items: result.items.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }))
	};
}) satisfies PageServerLoad;

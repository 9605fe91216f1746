import { requirePermission } from '$lib/server/auth/guard';
import { getDb } from '$lib/server/db';
import { listAudit, parseAuditFilter } from '$lib/server/audit';
import type { PageServerLoad } from './$types';

// The audit trail of manager and admin actions, filterable; read-only (the log is append-only).
export const load = (async (event) => {
	requirePermission(event, 'admin.users');
	const filter = parseAuditFilter(event.url.searchParams);
	const result = await listAudit(getDb(), filter);
	return {
		filter,
		...result,
		rows: result.rows.map((r) => ({
			...r,
			createdAt: r.createdAt.toISOString(),
			before: r.before === null ? null : JSON.stringify(r.before),
			after: r.after === null ? null : JSON.stringify(r.after)
		}))
	};
}) satisfies PageServerLoad;

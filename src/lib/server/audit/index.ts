import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { AuditAction } from '#lib/domain/audit.js';
import { pageOf, pageWindow, type Paged } from '#lib/domain/paging.js';
import type { Actor } from '#lib/domain/policy.js';
import { escapeLike, queryRows, type Db, type Tx } from '#server/db';
import { auditLog } from '#lib/server/db/schema.js';

/**
 * The audit trail of manager and admin actions. `recordAudit` takes the transaction of the
 * action itself, so an action and its audit row commit together or not at all — a refused
 * or failed action leaves no row, and no action goes unrecorded.
 *
 * Keep personal data out of before/after: name the person by user id (subjectId), never by
 * e-mail address, so deleting an account leaves nothing readable behind in the trail.
 */
export interface AuditEntry {
	/** Dotted verb, one of AUDIT_ACTIONS (src/lib/domain/audit.ts). */
	action: AuditAction;
	subjectType: string;
	subjectId: string | number;
	before?: unknown;
	after?: unknown;
}

export async function recordAudit(
	tx: Tx | Db,
	actor: Pick<Actor, 'id' | 'role'> | null,
	entry: AuditEntry
): Promise<void> {
	await tx.insert(auditLog).values({
		// Through a lookup, so an actor without an account row (the demo seeder, the CLI)
		// is recorded by role only instead of failing the action on the foreign key.
		actorUserId: actor ? sql`(select id from users where id = ${actor.id})` : null,
		// Who acts without an account (the CLI, a scheduled job) is 'system'.
		actorRole: actor?.role ?? 'system',
		action: entry.action,
		subjectType: entry.subjectType,
		subjectId: String(entry.subjectId),
		before: entry.before ?? null,
		after: entry.after ?? null
	});
}

/** The admin page's filters, from the URL. Dates are whole days (yyyy-mm-dd). */
export const AuditFilterSchema = z.object({
	actor: z.string().trim().max(200).optional().catch(undefined),
	action: z.string().trim().max(100).optional().catch(undefined),
	subject: z.string().trim().max(100).optional().catch(undefined),
	from: z.iso.date().optional().catch(undefined),
	to: z.iso.date().optional().catch(undefined),
	page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1)
});
export type AuditFilter = z.infer<typeof AuditFilterSchema>;

export function parseAuditFilter(params: URLSearchParams): AuditFilter {
	const raw = Object.fromEntries(
		['actor', 'action', 'subject', 'from', 'to', 'page']
			.map((k) => [k, params.get(k) || undefined] as const)
			.filter(([, v]) => v !== undefined)
	);
	return AuditFilterSchema.parse(raw);
}

export const AUDIT_PAGE_SIZE = 50;

export interface AuditRow {
	id: number;
	createdAt: Date;
	actorEmail: string | null;
	/** The acting account's display name, or null (the page falls back to the e-mail address). */
	actorName: string | null;
	/**
	 * Who the row is about, readably: an adoption's adopter, an account's name or address;
	 * null when there is no one or they no longer exist. Plot kinds and agreement versions are
	 * named on the page from subjectId.
	 */
	subjectLabel: string | null;
	/** The plot the row is about (a plot's own row, or an adoption's), named on the page. */
	subjectPlotId: number | null;
	subjectNeighbourhood: string | null;
	actorRole: string;
	action: string;
	subjectType: string;
	subjectId: string;
	before: unknown;
	after: unknown;
}

/**
 * Audit rows, newest first. `actor` matches the acting account's e-mail (part of it);
 * `subject` is 'type' or 'type:id'; `action` matches from the start ('adoption.' gives all).
 */
export async function listAudit(
	db: Db,
	filter: AuditFilter
): Promise<Paged<AuditRow> & { actions: string[] }> {
	const where: SQL[] = [];
	if (filter.actor) {
		const like = '%' + escapeLike(filter.actor) + '%';
		where.push(sql`(u.email ilike ${like} or u.display_name ilike ${like})`);
	}
	if (filter.action) where.push(sql`a.action like ${escapeLike(filter.action) + '%'}`);
	if (filter.subject) {
		const [type, id] = filter.subject.split(':', 2);
		where.push(sql`a.subject_type = ${type}`);
		if (id) where.push(sql`a.subject_id = ${id}`);
	}
	// Whole days as the municipality counts them, not UTC days.
	if (filter.from) where.push(sql`a.created_at >= (${filter.from}::date)::timestamp AT TIME ZONE 'Europe/Amsterdam'`);
	if (filter.to) where.push(sql`a.created_at < (${filter.to}::date + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam'`);
	const whereSql = where.length ? sql`where ${sql.join(where, sql` and `)}` : sql``;
	const [{ total }] = await queryRows<{ total: number }>(
		db,
		sql`select count(*)::int as total from audit_log a left join users u on u.id = a.actor_user_id ${whereSql}`
	);
	const window = pageWindow(filter.page, total, AUDIT_PAGE_SIZE);
	const [rows, actions] = await Promise.all([
		queryRows<AuditRow>(
			db,
			sql`select a.id, a.created_at as "createdAt", u.email as "actorEmail", u.display_name as "actorName",
				a.actor_role as "actorRole", a.action, a.subject_type as "subjectType", a.subject_id as "subjectId",
				a.before, a.after, ${SUBJECT_LABEL} as "subjectLabel",
				sp.id as "subjectPlotId", sn.name as "subjectNeighbourhood"
				from audit_log a left join users u on u.id = a.actor_user_id
				left join plots sp on sp.id = ${SUBJECT_PLOT_ID}
				left join neighbourhoods sn on sn.id = sp.neighbourhood_id
				${whereSql} order by a.id desc limit ${window.pageSize} offset ${window.offset}`
		),
		queryRows<{ action: string }>(db, sql`select distinct action from audit_log order by action`)
	]);
	return {
		items: rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt) })),
		total,
		...pageOf(window),
		actions: actions.map((a) => a.action)
	};
}

const NUMERIC_ID = sql.raw(`case when a.subject_id ~ '^[0-9]{1,9}$' then a.subject_id::int end`);

/** The plot an audit row (row `a`) is about, directly or through an adoption. */
const SUBJECT_PLOT_ID = sql`case a.subject_type
	when 'plot' then (select p.id from plots p where p.id = ${NUMERIC_ID})
	when 'adoption' then (select ad.plot_id from adoptions ad where ad.id = ${NUMERIC_ID})
	end`;

/** The readable name of who an audit row is about: an adoption's holder, or an account. */
const SUBJECT_LABEL = sql`case a.subject_type
	when 'adoption' then (select coalesce(t.name, nullif(trim(su.display_name), ''), su.email, '—')
		from adoptions ad left join teams t on t.id = ad.team_id left join users su on su.id = ad.user_id
		where ad.id = ${NUMERIC_ID})
	when 'user' then (select coalesce(nullif(trim(su.display_name), ''), su.email) from users su where su.id = a.subject_id)
	end`;


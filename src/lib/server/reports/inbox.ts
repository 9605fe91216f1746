import { sql, type SQL } from 'drizzle-orm';
import { pageOf, pageWindow, type Paged } from '#lib/domain/paging.js';
import type { InboxFilter } from '#lib/domain/report-inbox.js';
import { CLOSED_REPORT_STATES, overdue, type Overdue, type ReportHistoryKind, type ReportPhotoKind, type ReportState } from '#lib/domain/report.js';
import { queryRows, sqlList, type Db } from '#server/db';
import { mediaUrl } from '#server/media';

/**
 * Reading reports for the people who work on them: the managers' inbox and the partner's work
 * list (the same list, scoped to one organisation), and one report with everything — its
 * internal notes and full history too. Only confirmed reports: one made by address that was
 * never confirmed is nobody's work yet.
 */

/** Whose list: every report (managers), one partner's, or everything routed to any partner. */
export type InboxScope = { kind: 'all' } | { kind: 'partner'; partnerOrganisationId: number } | { kind: 'any-partner' };

export interface InboxItem {
	id: number;
	state: ReportState;
	categoryNl: string;
	categoryEn: string;
	neighbourhood: string | null;
	partner: string | null;
	plotId: number | null;
	summary: string;
	createdAt: Date;
	deadlineAt: Date;
	overdue: Overdue;
	supportCount: number;
	parentId: number | null;
	lon: number;
	lat: number;
}

const OPEN_NOT_WAITING = sql`r.state NOT IN ${sqlList([...CLOSED_REPORT_STATES, 'reopen_requested'])}`;

function conditions(scope: InboxScope, f: InboxFilter, now: Date): SQL {
	const where: SQL[] = [sql`r.confirmed_at IS NOT NULL`];
	if (scope.kind === 'partner') where.push(sql`r.partner_organisation_id = ${scope.partnerOrganisationId}`);
	if (scope.kind === 'any-partner') where.push(sql`r.partner_organisation_id IS NOT NULL`);
	if (f.state === 'open') where.push(sql`r.state NOT IN ${sqlList(CLOSED_REPORT_STATES)}`);
	else if (f.state !== 'all') where.push(sql`r.state = ${f.state}`);
	if (f.category) {
		where.push(sql`r.category_id IN (SELECT id FROM report_categories WHERE id = ${f.category} OR parent_id = ${f.category})`);
	}
	if (f.neighbourhood) where.push(sql`r.neighbourhood_id = ${f.neighbourhood}`);
	if (f.olderThanDays) where.push(sql`r.created_at <= ${new Date(now.getTime() - f.olderThanDays * 86_400_000)}`);
	if (f.overdueOnly) where.push(sql`${OPEN_NOT_WAITING} AND r.deadline_at < ${now}`);
	return sql.join(where, sql` AND `);
}

function order(f: InboxFilter, now: Date): SQL {
	if (f.sort === 'newest') return sql`r.created_at DESC, r.id DESC`;
	if (f.sort === 'oldest') return sql`r.created_at, r.id`;
	// Overdue first (the most overdue on top), then the nearest deadline.
	return sql`(${OPEN_NOT_WAITING} AND r.deadline_at < ${now}) DESC, r.deadline_at, r.id`;
}

export interface InboxList extends Paged<InboxItem> {
	overdueCount: number;
}

export async function listInbox(db: Db, scope: InboxScope, f: InboxFilter, now = new Date()): Promise<InboxList> {
	const where = conditions(scope, f, now);
	const [counts] = await queryRows<{ total: number; overdue: number }>(
		db,
		sql`SELECT count(*)::int AS total, count(*) FILTER (WHERE ${OPEN_NOT_WAITING} AND r.deadline_at < ${now})::int AS overdue
		FROM reports r WHERE ${where}`
	);
	const total = counts?.total ?? 0;
	const win = pageWindow(f.page, total, f.pageSize);
	const rows = await queryRows<{
		id: number; state: ReportState; name_nl: string; name_en: string; neighbourhood: string | null; partner: string | null;
		plot_id: number | null; summary: string; created_at: Date; deadline_at: Date; deadline_3x_at: Date; support_count: number;
		parent_id: number | null; lon: number; lat: number;
	}>(
		db,
		sql`SELECT r.id, r.state, c.name_nl, c.name_en, n.name AS neighbourhood, o.name AS partner, r.plot_id,
			left(r.description, 140) AS summary, r.created_at, r.deadline_at, r.deadline_3x_at, r.support_count, r.parent_id,
			ST_X(r.geom) AS lon, ST_Y(r.geom) AS lat
		FROM reports r JOIN report_categories c ON c.id = r.category_id
		LEFT JOIN neighbourhoods n ON n.id = r.neighbourhood_id
		LEFT JOIN partner_organisations o ON o.id = r.partner_organisation_id
		WHERE ${where}
		ORDER BY ${order(f, now)}
		LIMIT ${win.pageSize} OFFSET ${win.offset}`
	);
	return {
		items: rows.map((r) => ({
			id: r.id,
			state: r.state,
			categoryNl: r.name_nl,
			categoryEn: r.name_en,
			neighbourhood: r.neighbourhood,
			partner: r.partner,
			plotId: r.plot_id,
			summary: r.summary,
			createdAt: new Date(r.created_at),
			deadlineAt: new Date(r.deadline_at),
			overdue: overdue(r.state, new Date(r.deadline_at), new Date(r.deadline_3x_at), now),
			supportCount: r.support_count,
			parentId: r.parent_id,
			lon: Number(r.lon),
			lat: Number(r.lat)
		})),
		total,
		overdueCount: counts?.overdue ?? 0,
		...pageOf(win)
	};
}

export interface InboxChoices {
	categories: Array<{ id: number; parentId: number | null; nameNl: string; nameEn: string }>;
	neighbourhoods: Array<{ id: number; name: string }>;
	partners: Array<{ id: number; name: string }>;
}

/** What the filters and the reassign form offer. */
export async function inboxChoices(db: Db): Promise<InboxChoices> {
	const [categories, neighbourhoods, partners] = await Promise.all([
		queryRows<{ id: number; parent_id: number | null; name_nl: string; name_en: string }>(
			db,
			sql`SELECT c.id, c.parent_id, c.name_nl, c.name_en FROM report_categories c LEFT JOIN report_categories p ON p.id = c.parent_id
			ORDER BY coalesce(p.position, c.position), coalesce(p.id, c.id), c.parent_id IS NOT NULL, c.position, c.id`
		),
		queryRows<{ id: number; name: string }>(
			db,
			sql`SELECT n.id, n.name FROM neighbourhoods n WHERE EXISTS (SELECT 1 FROM reports r WHERE r.neighbourhood_id = n.id) ORDER BY n.name, n.id`
		),
		queryRows<{ id: number; name: string }>(db, sql`SELECT id, name FROM partner_organisations ORDER BY name, id`)
	]);
	return {
		categories: categories.map((c) => ({ id: c.id, parentId: c.parent_id, nameNl: c.name_nl, nameEn: c.name_en })),
		neighbourhoods,
		partners
	};
}

export interface StaffHistoryEntry {
	id: number;
	kind: ReportHistoryKind;
	actorRole: string;
	fromState: ReportState | null;
	toState: ReportState | null;
	publicNote: string | null;
	internalNote: string | null;
	partner: string | null;
	relatedReportId: number | null;
	createdAt: Date;
}

export interface StaffReport {
	id: number;
	state: ReportState;
	categoryNl: string;
	categoryEn: string;
	description: string;
	neighbourhood: string | null;
	plotId: number | null;
	partnerOrganisationId: number | null;
	partner: string | null;
	/** The reporter's address, only when they allowed contact. */
	contact: string | null;
	createdAt: Date;
	deadlineAt: Date;
	overdue: Overdue;
	supportCount: number;
	parentId: number | null;
	children: number[];
	lon: number;
	lat: number;
	photos: Array<{ kind: ReportPhotoKind; url: string; historyId: number | null }>;
	history: StaffHistoryEntry[];
}

/** One confirmed report with everything staff may see. Null when there is none. */
export async function staffReport(db: Db, id: number, now = new Date()): Promise<StaffReport | null> {
	const [r] = await queryRows<{
		id: number; state: ReportState; name_nl: string; name_en: string; description: string; neighbourhood: string | null;
		plot_id: number | null; partner_organisation_id: number | null; partner: string | null; contact: string | null;
		created_at: Date; deadline_at: Date; deadline_3x_at: Date; support_count: number; parent_id: number | null; lon: number; lat: number;
	}>(
		db,
		sql`SELECT r.id, r.state, c.name_nl, c.name_en, r.description, n.name AS neighbourhood, r.plot_id, r.partner_organisation_id,
			o.name AS partner, CASE WHEN r.contact_allowed THEN coalesce(u.email, r.reporter_email) END AS contact,
			r.created_at, r.deadline_at, r.deadline_3x_at, r.support_count, r.parent_id, ST_X(r.geom) AS lon, ST_Y(r.geom) AS lat
		FROM reports r JOIN report_categories c ON c.id = r.category_id
		LEFT JOIN neighbourhoods n ON n.id = r.neighbourhood_id
		LEFT JOIN partner_organisations o ON o.id = r.partner_organisation_id
		LEFT JOIN users u ON u.id = r.reporter_user_id
		WHERE r.id = ${id} AND r.confirmed_at IS NOT NULL`
	);
	if (!r) return null;
	const [children, photos, history] = await Promise.all([
		queryRows<{ id: number }>(db, sql`SELECT id FROM reports WHERE parent_id = ${id} ORDER BY id`),
		queryRows<{ kind: ReportPhotoKind; hash: string; history_id: number | null }>(
			db,
			sql`SELECT rp.kind, v.hash, rp.history_id FROM report_photos rp JOIN photos ph ON ph.id = rp.photo_id
			JOIN photo_variants v ON v.photo_id = ph.id AND v.variant = 'large'
			WHERE rp.report_id = ${id} AND ph.hidden_at IS NULL ORDER BY rp.kind DESC, rp.history_id NULLS FIRST, rp.position`
		),
		queryRows<{
			id: number; kind: ReportHistoryKind; actor_role: string; from_state: ReportState | null; to_state: ReportState | null;
			public_note: string | null; internal_note: string | null; partner: string | null; related_report_id: number | null; created_at: Date;
		}>(
			db,
			sql`SELECT h.id, h.kind, h.actor_role, h.from_state, h.to_state, h.public_note, h.internal_note, o.name AS partner,
				h.related_report_id, h.created_at
			FROM report_history h LEFT JOIN partner_organisations o ON o.id = h.partner_organisation_id
			WHERE h.report_id = ${id} ORDER BY h.id`
		)
	]);
	return {
		id: r.id,
		state: r.state,
		categoryNl: r.name_nl,
		categoryEn: r.name_en,
		description: r.description,
		neighbourhood: r.neighbourhood,
		plotId: r.plot_id,
		partnerOrganisationId: r.partner_organisation_id,
		partner: r.partner,
		contact: r.contact,
		createdAt: new Date(r.created_at),
		deadlineAt: new Date(r.deadline_at),
		overdue: overdue(r.state, new Date(r.deadline_at), new Date(r.deadline_3x_at), now),
		supportCount: r.support_count,
		parentId: r.parent_id,
		children: children.map((c) => c.id),
		lon: Number(r.lon),
		lat: Number(r.lat),
		photos: photos.map((p) => ({ kind: p.kind, url: mediaUrl(p.hash), historyId: p.history_id })),
		history: history.map((h) => ({
			id: h.id,
			kind: h.kind,
			actorRole: h.actor_role,
			fromState: h.from_state,
			toState: h.to_state,
			publicNote: h.public_note,
			internalNote: h.internal_note,
			partner: h.partner,
			relatedReportId: h.related_report_id,
			createdAt: new Date(h.created_at)
		}))
	};
}

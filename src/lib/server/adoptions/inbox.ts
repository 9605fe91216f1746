import { sql, type SQL } from 'drizzle-orm';
import { HOLDING_STATUSES, type AdoptionEventKind, type HoldingStatus, type RequestNoteKind, type RequestStage } from '#lib/domain/adoption.js';
import type { InboxFilter, InboxSort } from '#lib/domain/inbox-filter.js';
import { pageOf, pageWindow, type Paged } from '#lib/domain/paging.js';
import { plotName } from '#lib/domain/plot-name.js';
import { adoptionStatusSql, queryRows, sqlList, sqlLiteral, type Db } from '#server/db';
import { holdingSql } from '#server/plots';
import { requestNotes, stageOf } from './queries';

/**
 * What the manager inbox reads: open adoption requests with their plot (outline for a small
 * static map), queue place, and the requester's history. Writes go through the adoptions
 * service (src/lib/server/adoptions) and ./actions.ts.
 */

/** A plot's shape in RD New metres, ready for an SVG viewBox (as on the plot page). */
export interface Outline {
	path: string;
	viewBox: string;
}

const OUTLINE_SQL = (alias: string) => sql.raw(`
	ST_AsSVG(ST_Translate(ST_Transform(${alias}.geom, 28992), -ST_XMin(ST_Transform(${alias}.geom, 28992)), -ST_YMax(ST_Transform(${alias}.geom, 28992))), 0, 1) AS "outlinePath",
	(ST_XMax(ST_Transform(${alias}.geom, 28992)) - ST_XMin(ST_Transform(${alias}.geom, 28992)))::float8 AS "outlineWidth",
	(ST_YMax(ST_Transform(${alias}.geom, 28992)) - ST_YMin(ST_Transform(${alias}.geom, 28992)))::float8 AS "outlineHeight"`);

/** "Perk 12 (Hof van Delft)": manager pages name a plot with its buurt, in the page's language. */
function plotLabel(plotId: number, neighbourhoodName: string | null): string {
	return plotName(plotId, { neighbourhood: neighbourhoodName });
}

function outlineOf(path: string, width: number, height: number): Outline {
	const margin = Math.max(width, height, 1) * 0.05;
	const r = (n: number) => Math.round(n * 10) / 10;
	return { path, viewBox: `${r(-margin)} ${r(-margin)} ${r(width + 2 * margin)} ${r(height + 2 * margin)}` };
}

export interface HistoryItem {
	adoptionId: number;
	plotId: number;
	status: string;
	since: string;
}

export interface RecentEvent {
	plotId: number;
	toStatus: string;
	at: string;
}

export interface InboxItem {
	adoptionId: number;
	plotId: number;
	plotLabel: string;
	kind: string;
	areaM2: number;
	neighbourhoodName: string | null;
	maxAdopters: number;
	holding: number;
	/** 1 = first in line for this plot. */
	queuePosition: number;
	requestedAt: string;
	waitingDays: number;
	motivation: string | null;
	requester: { email: string | null; displayName: string | null };
	team: { name: string; kind: string } | null;
	outline: Outline;
	/** The requester's (or team's) other adoptions, newest first (at most 10). */
	history: HistoryItem[];
	/** Recent transitions of the requester's other adoptions, newest first (at most 5; activities do not exist yet). */
	recent: RecentEvent[];
	/** 'question': asked, waiting for the requester; 'answered': the requester replied, the manager's turn. */
	stage: RequestStage;
	/** The questions asked and the requester's answers, oldest first. */
	notes: Array<{ kind: RequestNoteKind; text: string; at: string }>;
}

/** A row of the inbox query: the item's own columns, and what the rest of the item is made of. */
type InboxRow = Pick<
	InboxItem,
	| 'adoptionId'
	| 'plotId'
	| 'kind'
	| 'areaM2'
	| 'neighbourhoodName'
	| 'maxAdopters'
	| 'holding'
	| 'queuePosition'
	| 'waitingDays'
	| 'motivation'
> & {
	requestedAt: string | Date;
	email: string | null;
	displayName: string | null;
	teamId: number | null;
	teamName: string | null;
	teamKind: string | null;
	outlinePath: string;
	outlineWidth: number;
	outlineHeight: number;
};

const INBOX_ORDER: Record<InboxSort, SQL> = {
	oldest: sql`a.created_at, a.id`,
	newest: sql`a.created_at DESC, a.id DESC`
};

/**
 * The adoptions that count as "the requester's" for request `r`: the team's when a team asked,
 * otherwise the resident's own (not the ones they asked for as part of a team) — never `r`.
 */
const SAME_REQUESTER = sql`a.id <> r.id AND ((r.team_id IS NOT NULL AND a.team_id = r.team_id)
	OR (r.team_id IS NULL AND a.team_id IS NULL AND a.user_id = r.user_id))`;

/**
 * One page of open requests, with the total for "1–50 van 400". Five queries whatever the
 * page size: the count, the page, the history and recent events of all its requesters
 * (a window function keeps 10 and 5 per request), and the questions and answers on them.
 */
export async function listInbox(db: Db, filter: InboxFilter): Promise<Paged<InboxItem>> {
	const where: SQL[] = [sql`a.status = ${adoptionStatusSql('requested')}`];
	if (filter.neighbourhood) where.push(sql`p.neighbourhood_id = ${filter.neighbourhood}`);
	if (filter.olderThanDays) where.push(sql`a.created_at <= now() - make_interval(days => ${filter.olderThanDays})`);
	const whereSql = sql.join(where, sql` AND `);
	const [{ total }] = await queryRows<{ total: number }>(
		db,
		sql`SELECT count(*)::int AS total FROM adoptions a JOIN plots p ON p.id = a.plot_id WHERE ${whereSql}`
	);
	const window = pageWindow(filter.page, total, filter.pageSize);
	const rows = await queryRows<InboxRow>(
		db,
		sql`SELECT a.id AS "adoptionId", p.id AS "plotId", p.kind, p.area_m2::float8 AS "areaM2",
				n.name AS "neighbourhoodName", p.max_adopters AS "maxAdopters",
				${holdingSql(sql`p.id`)} AS holding,
				(SELECT count(*)::int + 1 FROM adoptions q WHERE q.plot_id = p.id AND q.status = ${adoptionStatusSql('requested')}
					AND (q.created_at, q.id) < (a.created_at, a.id)) AS "queuePosition",
				a.created_at AS "requestedAt",
				floor(extract(epoch FROM now() - a.created_at) / 86400)::int AS "waitingDays",
				a.motivation, u.email, u.display_name AS "displayName",
				a.team_id AS "teamId", t.name AS "teamName", t.kind AS "teamKind",
				${OUTLINE_SQL('p')}
			FROM adoptions a
			JOIN plots p ON p.id = a.plot_id
			LEFT JOIN neighbourhoods n ON n.id = p.neighbourhood_id
			LEFT JOIN users u ON u.id = a.user_id
			LEFT JOIN teams t ON t.id = a.team_id
			WHERE ${whereSql}
			ORDER BY ${INBOX_ORDER[filter.sort]}
			LIMIT ${window.pageSize} OFFSET ${window.offset}`
	);
	const ids = rows.map((r) => r.adoptionId);
	const [{ history, recent }, notes] = await Promise.all([requesterHistories(db, ids), requestNotes(db, ids)]);
	return {
		items: rows.map((r) => ({
			adoptionId: r.adoptionId,
			plotId: r.plotId,
			plotLabel: plotLabel(r.plotId, r.neighbourhoodName),
			kind: r.kind,
			areaM2: r.areaM2,
			neighbourhoodName: r.neighbourhoodName,
			maxAdopters: r.maxAdopters,
			holding: r.holding,
			queuePosition: r.queuePosition,
			requestedAt: new Date(r.requestedAt).toISOString(),
			waitingDays: r.waitingDays,
			motivation: r.motivation,
			requester: { email: r.email, displayName: r.displayName },
			team: r.teamId !== null && r.teamName ? { name: r.teamName, kind: r.teamKind ?? '' } : null,
			outline: outlineOf(r.outlinePath, r.outlineWidth, r.outlineHeight),
			history: history.get(r.adoptionId) ?? [],
			recent: recent.get(r.adoptionId) ?? [],
			stage: stageOf('requested', notes.get(r.adoptionId) ?? []) ?? 'waiting',
			notes: (notes.get(r.adoptionId) ?? []).map((n) => ({ ...n, at: n.at.toISOString() }))
		})),
		total,
		...pageOf(window)
	};
}

/** Other adoptions and recent events of the requesters of these requests, by request id. */
async function requesterHistories(db: Db, requestIds: number[]) {
	const history = new Map<number, HistoryItem[]>();
	const recent = new Map<number, RecentEvent[]>();
	if (requestIds.length === 0) return { history, recent };
	const ids = sql.join(requestIds.map((id) => sql`${id}`), sql`, `);
	const [historyRows, recentRows] = await Promise.all([
		queryRows<HistoryItem & { forId: number }>(
			db,
			sql`SELECT "forId", "adoptionId", "plotId", status, since FROM (
					SELECT r.id AS "forId", a.id AS "adoptionId", a.plot_id AS "plotId", a.status,
						to_char(coalesce(a.started_at, a.created_at) AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM-DD') AS since,
						row_number() OVER (PARTITION BY r.id ORDER BY a.id DESC) AS n
					FROM adoptions r JOIN adoptions a ON ${SAME_REQUESTER}
					WHERE r.id IN (${ids})
				) h WHERE n <= 10 ORDER BY "forId", n`
		),
		queryRows<RecentEvent & { forId: number }>(
			db,
			sql`SELECT "forId", "plotId", "toStatus", at FROM (
					SELECT r.id AS "forId", a.plot_id AS "plotId", e.to_status AS "toStatus",
						to_char(e.created_at AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM-DD') AS at,
						row_number() OVER (PARTITION BY r.id ORDER BY e.id DESC) AS n
					FROM adoptions r JOIN adoptions a ON ${SAME_REQUESTER}
					JOIN adoption_events e ON e.adoption_id = a.id AND e.kind = ${sqlLiteral('status' satisfies AdoptionEventKind)}
					WHERE r.id IN (${ids})
				) x WHERE n <= 5 ORDER BY "forId", n`
		)
	]);
	for (const { forId, ...item } of historyRows) history.set(forId, [...(history.get(forId) ?? []), item]);
	for (const { forId, ...event } of recentRows) recent.set(forId, [...(recent.get(forId) ?? []), event]);
	return { history, recent };
}

/** Neighbourhoods that have open requests, for the filter. */
export async function inboxNeighbourhoods(db: Db) {
	return queryRows<{ id: number; name: string; open: number }>(
		db,
		sql`SELECT n.id, n.name, count(*)::int AS open
			FROM adoptions a JOIN plots p ON p.id = a.plot_id JOIN neighbourhoods n ON n.id = p.neighbourhood_id
			WHERE a.status = ${adoptionStatusSql('requested')} GROUP BY n.id, n.name ORDER BY n.name`
	);
}

export interface CurrentAdoption {
	adoptionId: number;
	status: HoldingStatus;
	/** The adopting team's name, or the resident as a manager sees them (display name, else e-mail). */
	adopter: string;
	isTeam: boolean;
	/** Since when (yyyy-mm-dd, Amsterdam): the start, or for an offer the day it was made. */
	since: string;
}

/** Who holds a plot's places now: running adoptions and open offers, oldest first. */
export async function currentAdoptions(db: Db, plotId: number): Promise<CurrentAdoption[]> {
	const rows = await queryRows<{ adoptionId: number; status: HoldingStatus; teamName: string | null; displayName: string | null; email: string | null; since: string }>(
		db,
		sql`SELECT a.id AS "adoptionId", a.status, t.name AS "teamName", u.display_name AS "displayName", u.email,
				to_char(coalesce(a.started_at, a.created_at) AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM-DD') AS since
			FROM adoptions a LEFT JOIN users u ON u.id = a.user_id LEFT JOIN teams t ON t.id = a.team_id
			WHERE a.plot_id = ${plotId} AND a.status IN ${sqlList(HOLDING_STATUSES)}
			ORDER BY coalesce(a.started_at, a.created_at), a.id`
	);
	return rows.map((r) => ({
		adoptionId: r.adoptionId,
		status: r.status,
		adopter: r.teamName ?? (r.displayName?.trim() || r.email || '—'),
		isTeam: r.teamName !== null,
		since: r.since
	}));
}

import { sql } from 'drizzle-orm';
import {
	availableActions,
	requestStage,
	HOLDING_STATUSES,
	OPEN_STATUSES,
	PUBLIC_TIMELINE_STATUSES,
	REQUEST_NOTE_KINDS,
	type AdoptionEventKind,
	type RequestNoteKind,
	type RequestStage,
	type AdoptionAction,
	type AdoptionStatus,
	type MyPlotAdoption,
	type PublicTimelineEntry
} from '#lib/domain/adoption.js';
import type { PlotState } from '#lib/domain/plot-state.js';
import { adoptionStatusSql, queryRows, sqlList, sqlLiteral, type Db, type Tx } from '#server/db';
import { holdingSql, plotStateSql } from '#server/plots';

/** Reads for pages: what a resident sees of adoptions. Writes are in ./lifecycle.ts. */

export interface Agreement {
	version: number;
	textNl: string;
	textEn: string;
}

/** The adoption agreement residents accept now (the highest version). */
export async function currentAgreement(db: Db | Tx): Promise<Agreement | null> {
	const [row] = await queryRows<Agreement>(
		db,
		sql`SELECT version, text_nl AS "textNl", text_en AS "textEn" FROM adoption_agreements ORDER BY version DESC LIMIT 1`
	);
	return row ?? null;
}

// 1-based place in the plot's queue of waiting requests, for a row aliased `a`.
const QUEUE_POSITION = sql`CASE WHEN a.status = ${adoptionStatusSql('requested')} THEN 1 + (SELECT count(*)::int FROM adoptions q
		WHERE q.plot_id = a.plot_id AND q.status = ${adoptionStatusSql('requested')} AND (q.created_at, q.id) < (a.created_at, a.id)) END`;

export interface MyAdoption {
	id: number;
	plotId: number;
	plotKind: string;
	plotState: PlotState;
	neighbourhood: string | null;
	status: AdoptionStatus;
	team: { id: number; name: string } | null;
	/** Place in the queue while requested (1 = next in line). */
	queuePosition: number | null;
	/** Places the plot has, and how many are taken or reserved. */
	maxAdopters: number;
	holding: number;
	createdAt: Date;
	startedAt: Date | null;
	endedAt: Date | null;
	/** What the resident can do now. */
	actions: AdoptionAction[];
	/** The person who asked (for a team: the member who wrote the request). */
	requesterId: string | null;
	/** While requested: whether the municipality asked something, or has the answer. */
	stage: RequestStage | null;
	/** Questions and answers on the request, oldest first. */
	notes: RequestNote[];
}

/** A manager's question or the requester's answer on a waiting request. */
export interface RequestNote {
	kind: RequestNoteKind;
	text: string;
	at: Date;
}

/** The questions and answers of these adoptions, oldest first, by adoption id. */
export async function requestNotes(db: Db | Tx, adoptionIds: number[]): Promise<Map<number, RequestNote[]>> {
	const notes = new Map<number, RequestNote[]>();
	if (adoptionIds.length === 0) return notes;
	const rows = await queryRows<RequestNote & { adoptionId: number }>(
		db,
		sql`SELECT adoption_id AS "adoptionId", kind, coalesce(reason, '') AS text, created_at AS at
			FROM adoption_events
			WHERE adoption_id IN (${sql.join(adoptionIds.map((id) => sql`${id}`), sql`, `)}) AND kind IN ${sqlList(REQUEST_NOTE_KINDS)}
			ORDER BY id`
	);
	for (const { adoptionId, ...note } of rows) {
		notes.set(adoptionId, [...(notes.get(adoptionId) ?? []), { ...note, at: new Date(note.at) }]);
	}
	return notes;
}

/** Stage of a request from its notes (the latest one decides). */
export function stageOf(status: AdoptionStatus, notes: RequestNote[]): RequestStage | null {
	return requestStage(status, notes.at(-1)?.kind ?? null);
}

/** "Mijn perken": everything the resident or one of their teams adopts, asked for or had. */
export async function listMyPlots(db: Db, userId: string): Promise<MyAdoption[]> {
	const rows = await queryRows<
		Omit<MyAdoption, 'team' | 'actions' | 'stage' | 'notes'> & { teamId: number | null; teamName: string | null }
	>(
		db,
		sql`SELECT a.id, a.plot_id AS "plotId", p.kind AS "plotKind", ${plotStateSql('p')} AS "plotState",
				n.name AS neighbourhood, a.status, a.user_id AS "requesterId", a.team_id AS "teamId", t.name AS "teamName",
				${QUEUE_POSITION} AS "queuePosition", p.max_adopters AS "maxAdopters",
				${holdingSql(sql`a.plot_id`)} AS holding,
				a.created_at AS "createdAt", a.started_at AS "startedAt", a.ended_at AS "endedAt"
			FROM adoptions a
			JOIN plots p ON p.id = a.plot_id
			LEFT JOIN neighbourhoods n ON n.id = p.neighbourhood_id
			LEFT JOIN teams t ON t.id = a.team_id
			WHERE (a.team_id IS NULL AND a.user_id = ${userId})
				OR a.team_id IN (SELECT team_id FROM team_members WHERE user_id = ${userId})
			ORDER BY CASE a.status WHEN ${adoptionStatusSql('offered')} THEN 0 WHEN ${adoptionStatusSql('active')} THEN 1
					WHEN ${adoptionStatusSql('requested')} THEN 2 ELSE 3 END,
				a.created_at DESC, a.id DESC`
	);
	const notes = await requestNotes(db, rows.filter((r) => r.status === 'requested').map((r) => r.id));
	return rows.map(({ teamId, teamName, ...r }) => ({
		...r,
		team: teamId !== null ? { id: teamId, name: teamName ?? '' } : null,
		actions: availableActions(r.status, 'adopter'),
		stage: stageOf(r.status, notes.get(r.id) ?? []),
		notes: notes.get(r.id) ?? []
	}));
}

/**
 * displayName: the name the adopter chose to show, or null (never an e-mail or real name).
 * teamKind: adopted by a team, its kind (household, street, ...), not its name (names can name people).
 */
export type TimelineEntry = PublicTimelineEntry;

/**
 * The plot's public history: when it was asked for, adopted and let go. No reasons (they can
 * be personal), no names except a display name the resident opted into.
 */
export async function publicTimeline(db: Db, plotId: number, limit = 50): Promise<TimelineEntry[]> {
	return queryRows<TimelineEntry>(
		db,
		sql`SELECT e.created_at AS at, e.from_status AS "from", e.to_status AS "to",
				CASE WHEN a.team_id IS NULL THEN nullif(trim(u.display_name), '') END AS "displayName",
				t.kind AS "teamKind"
			FROM adoption_events e
			JOIN adoptions a ON a.id = e.adoption_id
			LEFT JOIN users u ON u.id = a.user_id
			LEFT JOIN teams t ON t.id = a.team_id
			WHERE a.plot_id = ${plotId} AND e.kind = ${sqlLiteral('status' satisfies AdoptionEventKind)}
				AND e.to_status IN ${sqlList(PUBLIC_TIMELINE_STATUSES)}
			ORDER BY e.id DESC
			LIMIT ${limit}`
	);
}

export interface PlotAdoptionSummary {
	maxAdopters: number;
	/** Places taken (active) or reserved (offered). */
	holding: number;
	/** Requests waiting. */
	waiting: number;
	/** The viewer's own open adoption of this plot (alone or through a team), if any. */
	mine: MyPlotAdoption | null;
}

export async function plotAdoptionSummary(db: Db, plotId: number, userId?: string | null): Promise<PlotAdoptionSummary> {
	const [counts] = await queryRows<{ maxAdopters: number; holding: number; waiting: number }>(
		db,
		sql`SELECT p.max_adopters AS "maxAdopters",
				count(a.id) FILTER (WHERE a.status IN ${sqlList(HOLDING_STATUSES)})::int AS holding,
				count(a.id) FILTER (WHERE a.status = ${adoptionStatusSql('requested')})::int AS waiting
			FROM plots p LEFT JOIN adoptions a ON a.plot_id = p.id
			WHERE p.id = ${plotId} GROUP BY p.id`
	);
	let mine: PlotAdoptionSummary['mine'] = null;
	if (userId) {
		const [row] = await queryRows<NonNullable<PlotAdoptionSummary['mine']>>(
			db,
			sql`SELECT a.id, a.status, ${QUEUE_POSITION} AS "queuePosition", t.name AS "teamName"
				FROM adoptions a LEFT JOIN teams t ON t.id = a.team_id
				WHERE a.plot_id = ${plotId} AND a.status IN ${sqlList(OPEN_STATUSES)}
					AND ((a.team_id IS NULL AND a.user_id = ${userId})
						OR a.team_id IN (SELECT team_id FROM team_members WHERE user_id = ${userId}))
				ORDER BY a.id LIMIT 1`
		);
		mine = row ?? null;
	}
	return { ...(counts ?? { maxAdopters: 0, holding: 0, waiting: 0 }), mine };
}

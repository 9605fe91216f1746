import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import {
	REPORT_DUPLICATE_RADIUS_M,
	REPORT_PLOT_RADIUS_M,
	isOpenReportState,
	mayMoveReport,
	responseDeadlines,
	type ReportActorKind,
	type ReportHistoryKind,
	type ReportSource,
	type ReportState
} from '#lib/domain/report.js';
import type { Role } from '#lib/domain/policy.js';
import { queryRows, type Db, type Tx } from '#server/db';

/**
 * The core every part of reporting writes through: placing a report (its plot, neighbourhood,
 * deadline and route), moving it between states, assigning it, and its history. Each function
 * takes the caller's transaction, so a move, its history and its audit row commit together.
 * `now` is a parameter everywhere: the clock is the caller's (tests move it; overdue is judged
 * against it).
 */

/** Tokens in mailed links (confirming an address, the feedback question) are stored as this hash only. */
export function hashReportToken(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

export const REPORT_ERROR_CODES = [
	'not-found',
	/** The move is not allowed from this state, or not for this actor. */
	'bad-move',
	/** Someone else changed the report first (the form showed an older state). */
	'stale',
	'unknown-category',
	/** The point is outside the municipality (no neighbourhood contains it). */
	'outside',
	'key-taken'
] as const;
export type ReportErrorCode = (typeof REPORT_ERROR_CODES)[number];

export class ReportError extends Error {
	constructor(readonly code: ReportErrorCode) {
		super(code);
		this.name = 'ReportError';
	}
}

export function isReportError(e: unknown): e is ReportError {
	return e instanceof ReportError;
}

/** Who acts, as the history records it. `kind` decides which moves are allowed. */
export interface ReportActor {
	/** Null for the system or a reporter without an account. */
	userId: string | null;
	/** The account's role, or 'reporter' / 'system' without one. */
	role: Role | 'reporter' | 'system';
	kind: ReportActorKind;
}

export const SYSTEM_ACTOR: ReportActor = { userId: null, role: 'system', kind: 'system' };

export interface PlaceOfPoint {
	plotId: number | null;
	neighbourhoodId: number | null;
	districtCode: string | null;
}

const pointSql = (lon: number, lat: number) => sql`ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326)`;

/**
 * The nearest active plot within REPORT_PLOT_RADIUS_M of a point (if any) and the neighbourhood
 * that contains it. A box of about 0.0005° (35–55 m here) lets the spatial index find the
 * candidates; the exact distance is then measured in metres on the sphere.
 */
export async function placeOfPoint(db: Db | Tx, lon: number, lat: number): Promise<PlaceOfPoint> {
	const pt = pointSql(lon, lat);
	const [row] = await queryRows<{ plot_id: number | null; neighbourhood_id: number | null; district_code: string | null }>(
		db,
		sql`SELECT
			(SELECT p.id FROM plots p
			  WHERE p.status = 'active' AND p.geom && ST_Expand(${pt}, 0.0005)
			    AND ST_DWithin(p.geom::geography, ${pt}::geography, ${REPORT_PLOT_RADIUS_M})
			  ORDER BY ST_Distance(p.geom::geography, ${pt}::geography), p.id LIMIT 1) AS plot_id,
			n.id AS neighbourhood_id, n.district_code
		FROM (SELECT 1) one
		LEFT JOIN LATERAL (SELECT id, district_code FROM neighbourhoods WHERE ST_Intersects(geom, ${pt}) ORDER BY id LIMIT 1) n ON true`
	);
	return {
		plotId: row?.plot_id ?? null,
		neighbourhoodId: row?.neighbourhood_id ?? null,
		districtCode: row?.district_code ?? null
	};
}

/**
 * Where a report goes: the most specific routing rule wins. A rule naming the sub-category beats
 * one naming its main category, which beats one for any category; within that, a rule for the
 * neighbourhood beats one for its district, which beats one for everywhere. Null = the
 * municipality's own team.
 */
export async function routeFor(
	db: Db | Tx,
	categoryId: number,
	place: Pick<PlaceOfPoint, 'neighbourhoodId' | 'districtCode'>
): Promise<number | null> {
	const [row] = await queryRows<{ partner_organisation_id: number | null }>(
		db,
		sql`SELECT r.partner_organisation_id
		FROM report_routing_rules r
		JOIN report_categories c ON c.id = ${categoryId}
		WHERE (r.category_id IS NULL OR r.category_id = c.id OR r.category_id = c.parent_id)
		  AND (r.neighbourhood_id IS NULL OR r.neighbourhood_id = ${place.neighbourhoodId})
		  AND (r.district_code IS NULL OR r.district_code = ${place.districtCode})
		ORDER BY (r.category_id = c.id) DESC NULLS LAST, (r.category_id IS NOT NULL) DESC,
		         (r.neighbourhood_id IS NOT NULL) DESC, (r.district_code IS NOT NULL) DESC, r.id
		LIMIT 1`
	);
	return row?.partner_organisation_id ?? null;
}

export interface NewReport {
	categoryId: number;
	description: string;
	lon: number;
	lat: number;
	source: ReportSource;
	reporterUserId: string | null;
	/** Lower-cased; for a report without an account. */
	reporterEmail: string | null;
	contactAllowed: boolean;
	/** A signed-in reporter's report is confirmed at once; one by address waits for the link. */
	confirmed: boolean;
	idempotencyKey: string | null;
	/** Attach to this plot instead of the nearest one (a report made from a plot's page). */
	plotId?: number | null;
	now: Date;
}

export interface PlacedReport {
	id: number;
	/** False when the idempotency key had made this report before (a double tap). */
	created: boolean;
	plotId: number | null;
	neighbourhoodId: number | null;
	partnerOrganisationId: number | null;
}

/**
 * Places a new report: its plot and neighbourhood, its deadlines from the category's response
 * target, and (once confirmed) its route, with the first history entries. Photos are attached
 * by the caller in the same transaction. A key seen before returns that report unchanged.
 */
export async function insertReport(tx: Tx, input: NewReport): Promise<PlacedReport> {
	if (input.idempotencyKey) {
		const [seen] = await queryRows<{ id: number; reporter_user_id: string | null; reporter_email: string | null; plot_id: number | null; neighbourhood_id: number | null; partner_organisation_id: number | null }>(
			tx,
			sql`SELECT id, reporter_user_id, reporter_email, plot_id, neighbourhood_id, partner_organisation_id FROM reports WHERE idempotency_key = ${input.idempotencyKey}`
		);
		if (seen) {
			const same = seen.reporter_user_id === input.reporterUserId && seen.reporter_email === input.reporterEmail;
			if (!same) throw new ReportError('key-taken');
			return { id: seen.id, created: false, plotId: seen.plot_id, neighbourhoodId: seen.neighbourhood_id, partnerOrganisationId: seen.partner_organisation_id };
		}
	}
	const [category] = await queryRows<{ id: number; response_days: number | null }>(
		tx,
		sql`SELECT id, response_days FROM report_categories WHERE id = ${input.categoryId} AND parent_id IS NOT NULL AND active`
	);
	if (!category) throw new ReportError('unknown-category');
	const place = await placeOfPoint(tx, input.lon, input.lat);
	if (place.neighbourhoodId === null) throw new ReportError('outside');
	const plotId = input.plotId !== undefined && input.plotId !== null ? input.plotId : place.plotId;
	const partner = input.confirmed ? await routeFor(tx, category.id, place) : null;
	const { deadlineAt, deadline3xAt } = responseDeadlines(input.now, category.response_days);
	const [row] = await queryRows<{ id: number }>(
		tx,
		sql`INSERT INTO reports (category_id, description, geom, plot_id, neighbourhood_id, source, reporter_user_id,
			reporter_email, contact_allowed, confirmed_at, state, partner_organisation_id, deadline_at, deadline_3x_at,
			idempotency_key, created_at, updated_at)
		VALUES (${category.id}, ${input.description}, ${pointSql(input.lon, input.lat)}, ${plotId}, ${place.neighbourhoodId},
			${input.source}, ${input.reporterUserId}, ${input.reporterEmail}, ${input.contactAllowed},
			${input.confirmed ? input.now : null}, 'reported', ${partner}, ${deadlineAt}, ${deadline3xAt},
			${input.idempotencyKey}, ${input.now}, ${input.now})
		RETURNING id`
	);
	const id = row!.id;
	const reporter: ReportActor = input.reporterUserId
		? { userId: input.reporterUserId, role: 'resident', kind: 'reporter' }
		: { userId: null, role: 'reporter', kind: 'reporter' };
	await appendHistory(tx, id, reporter, { kind: 'state', fromState: null, toState: 'reported', now: input.now });
	if (input.confirmed && partner !== null) {
		await appendHistory(tx, id, SYSTEM_ACTOR, { kind: 'assign', partnerOrganisationId: partner, now: input.now });
	}
	return { id, created: true, plotId, neighbourhoodId: place.neighbourhoodId, partnerOrganisationId: partner };
}

/**
 * A report made by address becomes real when its link is followed: public, routed, and its
 * deadline counted from now (the municipality could not have seen it before).
 */
export async function confirmReport(tx: Tx, reportId: number, now: Date): Promise<void> {
	const [r] = await queryRows<{ id: number; category_id: number; neighbourhood_id: number | null; district_code: string | null; response_days: number | null; confirmed_at: Date | null }>(
		tx,
		sql`SELECT r.id, r.category_id, r.neighbourhood_id, n.district_code, c.response_days, r.confirmed_at
		FROM reports r JOIN report_categories c ON c.id = r.category_id LEFT JOIN neighbourhoods n ON n.id = r.neighbourhood_id
		WHERE r.id = ${reportId} FOR UPDATE OF r`
	);
	if (!r) throw new ReportError('not-found');
	if (r.confirmed_at) return;
	const partner = await routeFor(tx, r.category_id, { neighbourhoodId: r.neighbourhood_id, districtCode: r.district_code });
	const { deadlineAt, deadline3xAt } = responseDeadlines(now, r.response_days);
	await tx.execute(
		sql`UPDATE reports SET confirmed_at = ${now}, partner_organisation_id = ${partner}, deadline_at = ${deadlineAt},
			deadline_3x_at = ${deadline3xAt}, updated_at = ${now} WHERE id = ${reportId}`
	);
	if (partner !== null) await appendHistory(tx, reportId, SYSTEM_ACTOR, { kind: 'assign', partnerOrganisationId: partner, now });
}

export interface HistoryEntry {
	kind: ReportHistoryKind;
	fromState?: ReportState | null;
	toState?: ReportState | null;
	publicNote?: string | null;
	internalNote?: string | null;
	partnerOrganisationId?: number | null;
	relatedReportId?: number | null;
	now: Date;
}

export async function appendHistory(tx: Tx | Db, reportId: number, actor: ReportActor, entry: HistoryEntry): Promise<number> {
	const [row] = await queryRows<{ id: number }>(
		tx,
		sql`INSERT INTO report_history (report_id, kind, actor_user_id, actor_role, from_state, to_state, public_note,
			internal_note, partner_organisation_id, related_report_id, created_at)
		VALUES (${reportId}, ${entry.kind}, (SELECT id FROM users WHERE id = ${actor.userId}), ${actor.role},
			${entry.fromState ?? null}, ${entry.toState ?? null}, ${entry.publicNote ?? null}, ${entry.internalNote ?? null},
			${entry.partnerOrganisationId ?? null}, ${entry.relatedReportId ?? null}, ${entry.now})
		RETURNING id`
	);
	return row!.id;
}

export interface LockedReport {
	id: number;
	state: ReportState;
	partnerOrganisationId: number | null;
	reporterUserId: string | null;
	reporterEmail: string | null;
	parentId: number | null;
	updatedAt: Date;
}

/** Reads a report and locks it for the rest of the transaction (two people at once: one waits). */
export async function lockReport(tx: Tx, reportId: number): Promise<LockedReport> {
	const [r] = await queryRows<{ id: number; state: ReportState; partner_organisation_id: number | null; reporter_user_id: string | null; reporter_email: string | null; parent_id: number | null; updated_at: Date }>(
		tx,
		sql`SELECT id, state, partner_organisation_id, reporter_user_id, reporter_email, parent_id, updated_at
		FROM reports WHERE id = ${reportId} FOR UPDATE`
	);
	if (!r) throw new ReportError('not-found');
	return {
		id: r.id,
		state: r.state,
		partnerOrganisationId: r.partner_organisation_id,
		reporterUserId: r.reporter_user_id,
		reporterEmail: r.reporter_email,
		parentId: r.parent_id,
		updatedAt: new Date(r.updated_at)
	};
}

export interface Move {
	reportId: number;
	to: ReportState;
	actor: ReportActor;
	publicNote?: string | null;
	internalNote?: string | null;
	/** The state the form showed: refused as 'stale' when someone moved it in between. */
	expectedState?: ReportState;
	now: Date;
}

/**
 * Moves a report to another state, appending the history entry. Authorization (who may work on
 * this report at all) is the caller's, through the policy; this checks the move itself.
 * Returns the history entry's id (answer photos hang on it).
 */
export async function moveReport(tx: Tx, move: Move): Promise<{ from: ReportState; historyId: number }> {
	const report = await lockReport(tx, move.reportId);
	if (move.expectedState && move.expectedState !== report.state) throw new ReportError('stale');
	if (!mayMoveReport(move.actor.kind, report.state, move.to)) throw new ReportError('bad-move');
	const staff = move.actor.kind === 'manager' || move.actor.kind === 'partner';
	const closing = !isOpenReportState(move.to);
	await tx.execute(
		sql`UPDATE reports SET state = ${move.to}, updated_at = ${move.now},
			first_response_at = CASE WHEN ${staff} AND first_response_at IS NULL THEN ${move.now}::timestamptz ELSE first_response_at END,
			resolved_at = CASE WHEN ${move.to === 'done'} THEN ${move.now}::timestamptz ELSE resolved_at END,
			closed_at = CASE WHEN ${closing} THEN ${move.now}::timestamptz WHEN ${move.to === 'reopened'} THEN NULL ELSE closed_at END
		WHERE id = ${move.reportId}`
	);
	const historyId = await appendHistory(tx, move.reportId, move.actor, {
		kind: 'state',
		fromState: report.state,
		toState: move.to,
		publicNote: move.publicNote ?? null,
		internalNote: move.internalNote ?? null,
		now: move.now
	});
	return { from: report.state, historyId };
}

/** Routes a report to a partner (or back to the municipality: null) by hand. Audited by the caller. */
export async function assignReport(
	tx: Tx,
	reportId: number,
	actor: ReportActor,
	partnerOrganisationId: number | null,
	now: Date,
	internalNote: string | null = null
): Promise<{ before: number | null }> {
	const report = await lockReport(tx, reportId);
	await tx.execute(sql`UPDATE reports SET partner_organisation_id = ${partnerOrganisationId}, updated_at = ${now} WHERE id = ${reportId}`);
	await appendHistory(tx, reportId, actor, { kind: 'assign', partnerOrganisationId, internalNote, now });
	return { before: report.partnerOrganisationId };
}

export interface NearbyReport {
	id: number;
	categoryId: number;
	state: ReportState;
	createdAt: Date;
	distanceM: number;
	supportCount: number;
	lon: number;
	lat: number;
}

/**
 * "Is dit dezelfde melding?": open, confirmed reports of the same category within
 * REPORT_DUPLICATE_RADIUS_M, nearest first (merged children are left out: their parent shows).
 */
export async function nearbyOpenReports(
	db: Db | Tx,
	categoryId: number,
	lon: number,
	lat: number,
	limit = 10
): Promise<NearbyReport[]> {
	const pt = pointSql(lon, lat);
	const rows = await queryRows<{ id: number; category_id: number; state: ReportState; created_at: Date; distance_m: number; support_count: number; lon: number; lat: number }>(
		db,
		sql`SELECT id, category_id, state, created_at, support_count, ST_X(geom) AS lon, ST_Y(geom) AS lat,
			ST_Distance(geom::geography, ${pt}::geography) AS distance_m
		FROM reports
		WHERE category_id = ${categoryId} AND confirmed_at IS NOT NULL AND parent_id IS NULL
		  AND state NOT IN ('done', 'cancelled')
		  AND geom && ST_Expand(${pt}, 0.001)
		  AND ST_DWithin(geom::geography, ${pt}::geography, ${REPORT_DUPLICATE_RADIUS_M})
		ORDER BY distance_m, id
		LIMIT ${limit}`
	);
	return rows.map((r) => ({
		id: r.id,
		categoryId: r.category_id,
		state: r.state,
		createdAt: new Date(r.created_at),
		distanceM: Number(r.distance_m),
		supportCount: r.support_count,
		lon: Number(r.lon),
		lat: Number(r.lat)
	}));
}

export interface Category {
	id: number;
	slug: string;
	parentId: number | null;
	nameNl: string;
	nameEn: string;
	responseDays: number | null;
	active: boolean;
}

/** The category tree, main categories first, each followed by its sub-categories in order. */
export async function listCategories(db: Db | Tx, { activeOnly = true } = {}): Promise<Category[]> {
	const rows = await queryRows<{ id: number; slug: string; parent_id: number | null; name_nl: string; name_en: string; response_days: number | null; active: boolean }>(
		db,
		sql`SELECT c.id, c.slug, c.parent_id, c.name_nl, c.name_en, c.response_days, c.active
		FROM report_categories c LEFT JOIN report_categories p ON p.id = c.parent_id
		WHERE ${activeOnly} = false OR (c.active AND (p.id IS NULL OR p.active))
		ORDER BY coalesce(p.position, c.position), coalesce(p.id, c.id), c.parent_id IS NOT NULL, c.position, c.id`
	);
	return rows.map((r) => ({
		id: r.id,
		slug: r.slug,
		parentId: r.parent_id,
		nameNl: r.name_nl,
		nameEn: r.name_en,
		responseDays: r.response_days,
		active: r.active
	}));
}


import { sql } from 'drizzle-orm';
import { MAX_ADOPTERS_LIMIT } from '#lib/domain/adoption.js';
import { can, type Actor } from '#lib/domain/policy.js';
import { recordAudit } from '#server/audit';
import { adoptionStatusSql, queryRows, type Db, type Tx } from '#server/db';
import { holdingCount, holdingSql, lockPlot, type LockedPlot } from './places';

/**
 * What a manager sets on plots: adoptability (with a reason), the number of places per plot
 * and per kind, and the plot as the manager's plot form shows it. Each checks the policy here
 * on the server and writes its audit row in the same transaction as the change.
 */

export const PLOT_ERROR_CODES = ['forbidden', 'not-found', 'below-holding', 'bad-capacity'] as const;
export type PlotErrorCode = (typeof PLOT_ERROR_CODES)[number];

export class PlotError extends Error {
	constructor(readonly code: PlotErrorCode) {
		super(code);
		this.name = 'PlotError';
	}
}

function requireManager(actor: Actor): void {
	if (!can(actor, 'manage.view')) throw new PlotError('forbidden');
}

async function lockedPlot(tx: Tx, plotId: number): Promise<LockedPlot> {
	const plot = await lockPlot(tx, plotId);
	if (!plot) throw new PlotError('not-found');
	return plot;
}

/** Mark a plot not adoptable (with a reason), or adoptable again. Open adoptions stay. */
export async function setAdoptable(
	db: Db,
	actor: Actor,
	plotId: number,
	input: { adoptable: boolean; reason?: string | null }
): Promise<void> {
	requireManager(actor);
	await db.transaction(async (tx) => {
		const plot = await lockedPlot(tx, plotId);
		const reason = input.adoptable ? null : input.reason?.trim() || null;
		await tx.execute(
			sql`UPDATE plots SET adoptable = ${input.adoptable}, not_adoptable_reason = ${reason}, updated_at = now() WHERE id = ${plotId}`
		);
		await recordAudit(tx, actor, {
			action: input.adoptable ? 'plot.adoptable' : 'plot.not_adoptable',
			subjectType: 'plot',
			subjectId: plotId,
			before: { adoptable: plot.adoptable, reason: plot.reason },
			after: { adoptable: input.adoptable, reason }
		});
	});
}

function checkCapacity(max: number): void {
	if (!Number.isInteger(max) || max < 1 || max > MAX_ADOPTERS_LIMIT) throw new PlotError('bad-capacity');
}

/** A plot's own capacity; never below the places already taken (the trigger agrees). */
export async function setPlotCapacity(db: Db, actor: Actor, plotId: number, maxAdopters: number): Promise<void> {
	requireManager(actor);
	checkCapacity(maxAdopters);
	await db.transaction(async (tx) => {
		const plot = await lockedPlot(tx, plotId);
		if ((await holdingCount(tx, plotId)) > maxAdopters) throw new PlotError('below-holding');
		await tx.execute(sql`UPDATE plots SET max_adopters = ${maxAdopters}, updated_at = now() WHERE id = ${plotId}`);
		await recordAudit(tx, actor, {
			action: 'plot.capacity',
			subjectType: 'plot',
			subjectId: plotId,
			before: { maxAdopters: plot.maxAdopters },
			after: { maxAdopters }
		});
	});
}

/**
 * Capacity for every plot of a kind: stored as the kind's setting and applied to its active
 * plots, except plots that already have more adopters than the new number (those keep
 * theirs, and are counted in `kept`).
 */
export async function setKindCapacity(
	db: Db,
	actor: Actor,
	kind: string,
	maxAdopters: number
): Promise<{ updated: number; kept: number }> {
	requireManager(actor);
	checkCapacity(maxAdopters);
	return db.transaction(async (tx) => {
		const [before] = await queryRows<{ max: number | null }>(
			tx,
			sql`SELECT max_adopters AS max FROM plot_kind_settings WHERE kind = ${kind}`
		);
		await tx.execute(
			sql`INSERT INTO plot_kind_settings (kind, max_adopters) VALUES (${kind}, ${maxAdopters})
				ON CONFLICT (kind) DO UPDATE SET max_adopters = excluded.max_adopters, updated_at = now()`
		);
		// Lock the kind's plots in id order (as single-plot actions lock one), then update.
		const locked = await queryRows<{ id: number; holding: number }>(
			tx,
			sql`SELECT p.id, ${holdingSql(sql`p.id`)} AS holding
				FROM plots p WHERE p.kind = ${kind} AND p.status = 'active' ORDER BY p.id FOR UPDATE OF p`
		);
		const fits = locked.filter((p) => p.holding <= maxAdopters).map((p) => p.id);
		if (fits.length) {
			await tx.execute(
				sql`UPDATE plots SET max_adopters = ${maxAdopters}, updated_at = now()
					WHERE id IN (${sql.join(fits.map((id) => sql`${id}`), sql`, `)}) AND max_adopters <> ${maxAdopters}`
			);
		}
		const result = { updated: fits.length, kept: locked.length - fits.length };
		await recordAudit(tx, actor, {
			action: 'plot_kind.capacity',
			subjectType: 'plot_kind',
			subjectId: kind,
			before: { maxAdopters: before?.max ?? 1 },
			after: { maxAdopters, ...result }
		});
		return result;
	});
}


/** Capacity per plot kind: the kinds in use, with their setting (default 1). */
export async function kindCapacities(db: Db) {
	return queryRows<{ kind: string; plots: number; maxAdopters: number }>(
		db,
		sql`SELECT p.kind, count(*)::int AS plots, coalesce(s.max_adopters, 1) AS "maxAdopters"
			FROM plots p LEFT JOIN plot_kind_settings s ON s.kind = p.kind
			WHERE p.status = 'active' GROUP BY p.kind, s.max_adopters ORDER BY p.kind`
	);
}


/** One plot as the manager's plot form needs it. */
export async function managedPlot(db: Db, plotId: number) {
	const [row] = await queryRows<{
		id: number;
		kind: string;
		adoptable: boolean;
		notAdoptableReason: string | null;
		maxAdopters: number;
		holding: number;
		waiting: number;
		neighbourhoodName: string | null;
		status: string;
	}>(
		db,
		sql`SELECT p.id, p.kind, p.adoptable, p.not_adoptable_reason AS "notAdoptableReason",
				p.max_adopters AS "maxAdopters", p.status, n.name AS "neighbourhoodName",
				${holdingSql(sql`p.id`)} AS holding,
				(SELECT count(*)::int FROM adoptions h WHERE h.plot_id = p.id AND h.status = ${adoptionStatusSql('requested')}) AS waiting
			FROM plots p LEFT JOIN neighbourhoods n ON n.id = p.neighbourhood_id WHERE p.id = ${plotId}`
	);
	return row ?? null;
}


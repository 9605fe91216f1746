import { sql, type SQL } from 'drizzle-orm';
import { HOLDING_STATUSES } from '#lib/domain/adoption.js';
import type { PlotStatus } from '#lib/domain/plot-state.js';
import { queryRows, sqlList, type Tx } from '#server/db';

/**
 * A plot's places: the row lock every change to a plot's adoptions, capacity or adoptability
 * takes first (SELECT … FOR UPDATE, so they happen one at a time on PostgreSQL too), and the
 * places already taken under that lock.
 */

export interface LockedPlot {
	id: number;
	status: PlotStatus;
	adoptable: boolean;
	/** Why a manager (or the importer) made it not adoptable. */
	reason: string | null;
	maxAdopters: number;
	/** The plot's buurt, for naming it in notifications (see domain/plot-name.ts). */
	neighbourhood: string | null;
}

/**
 * Locks the plot row for the rest of the transaction: every change that touches a plot's
 * places (adoptions, capacity and adoptability) takes this lock first. Null: no such plot.
 */
export async function lockPlot(tx: Tx, plotId: number): Promise<LockedPlot | null> {
	const [plot] = await queryRows<LockedPlot>(
		tx,
		sql`SELECT p.id, p.status, p.adoptable, p.not_adoptable_reason AS reason, p.max_adopters AS "maxAdopters",
			n.name AS neighbourhood
			FROM plots p LEFT JOIN neighbourhoods n ON n.id = p.neighbourhood_id
			WHERE p.id = ${plotId} FOR UPDATE OF p`
	);
	return plot ?? null;
}

/** Places taken on a plot: active adoptions and open offers. */
export async function holdingCount(tx: Tx, plotId: number): Promise<number> {
	const [row] = await queryRows<{ n: number }>(tx, sql`SELECT ${holdingSql(sql`${plotId}`)} AS n`);
	return row.n;
}

/** The same count as a subquery, for queries over many plots: `holdingSql(sql`p.id`)`. */
export function holdingSql(plotId: SQL): SQL {
	return sql`(SELECT count(*)::int FROM adoptions h WHERE h.plot_id = ${plotId} AND h.status IN ${sqlList(HOLDING_STATUSES)})`;
}


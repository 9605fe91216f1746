import { sql, type SQL } from 'drizzle-orm';
import type { AuditAction } from '#lib/domain/audit.js';
import { plotName } from '#lib/domain/plot-name.js';
import { can, type Actor } from '#lib/domain/policy.js';
import { MANAGE_PAGE_SIZE, pageOf, pageWindow, type Paged } from '#lib/domain/paging.js';
import { recordAudit } from '#server/audit';
import { getConfig } from '#server/config';
import { adoptionStatusSql, queryRows, sqlLiteral, type Db } from '#server/db';
import { startRepeating, type RepeatingJob } from '#server/jobs';
import { notify } from '#server/notifications';
import { AdoptionError } from './errors';
import { adoptionAudience } from './lifecycle';

/**
 * Quiet adoptions ("stille adopties"): active adoptions without a sign of life for some weeks,
 * the list managers read on /beheer/stil, a nudge by hand, and the automatic sweep that nudges
 * each quiet adoption once. Nothing here ends an adoption; that stays a manager's decision.
 */

/**
 * The plot's last logged care as a moment (the start of the day it was done on), or null. The care log is the activities room's, which imports this
 * one: the table is read here directly (shared schema), through activities_plot_done_idx.
 */
function lastCareSql(plotId: SQL): SQL {
	return sql`(SELECT x.done_on::timestamptz FROM activities x
		WHERE x.plot_id = ${plotId} AND x.deleted_at IS NULL ORDER BY x.done_on DESC LIMIT 1)`;
}

/**
 * Active adoptions quiet for `weeks` weeks: id, plot_id, user_id, team_id, last_sign and
 * nudged_at (the latest nudge since the last sign of life, from the audit log, or null).
 */
export function quietAdoptionsSql(weeks: number): SQL {
	return sql`SELECT q.*, (SELECT max(l.created_at) FROM audit_log l WHERE l.action = ${sqlLiteral('adoption.nudge' satisfies AuditAction)}
			AND l.subject_type = 'adoption' AND l.subject_id = q.id::text AND l.created_at >= q.last_sign) AS nudged_at
		FROM (SELECT a.id, a.plot_id, a.user_id, a.team_id,
				greatest(coalesce(a.started_at, a.created_at),
					(SELECT max(e.created_at) FROM adoption_events e WHERE e.adoption_id = a.id),
					${lastCareSql(sql`a.plot_id`)}) AS last_sign
			FROM adoptions a WHERE a.status = ${adoptionStatusSql('active')}) q
		WHERE q.last_sign < now() - make_interval(weeks => ${weeks})`;
}

export interface StaleAdoption {
	adoptionId: number;
	plotId: number;
	plotLabel: string;
	adopter: string;
	/** Last sign of life: the adoption's start, its latest event or the plot's last logged care. */
	lastSignOn: string;
	weeksQuiet: number;
	nudgedOn: string | null;
}

/**
 * One page of active adoptions without a sign of life for `weeks` weeks, longest quiet first,
 * with the total. "A sign of life" is the adoption's start, its latest event or the plot's
 * last logged care (deleted entries do not count). Nudges are read from the audit log.
 */
export async function listStale(
	db: Db,
	weeks: number,
	options: { page?: number; pageSize?: number } = {}
): Promise<Paged<StaleAdoption>> {
	const [{ total }] = await queryRows<{ total: number }>(
		db,
		sql`SELECT count(*)::int AS total FROM (${quietAdoptionsSql(weeks)}) s`
	);
	const window = pageWindow(options.page ?? 1, total, options.pageSize ?? MANAGE_PAGE_SIZE);
	const rows = await queryRows<{
		adoptionId: number;
		plotId: number;
		neighbourhoodName: string | null;
		email: string | null;
		teamName: string | null;
		lastSign: string | Date;
		nudgedAt: string | Date | null;
	}>(
		db,
		sql`WITH s AS (${quietAdoptionsSql(weeks)})
			SELECT s.id AS "adoptionId", s.plot_id AS "plotId", n.name AS "neighbourhoodName",
				u.email, t.name AS "teamName", s.last_sign AS "lastSign", s.nudged_at AS "nudgedAt"
			FROM s JOIN plots p ON p.id = s.plot_id
			LEFT JOIN neighbourhoods n ON n.id = p.neighbourhood_id
			LEFT JOIN users u ON u.id = s.user_id
			LEFT JOIN teams t ON t.id = s.team_id
			ORDER BY s.last_sign, s.id
			LIMIT ${window.pageSize} OFFSET ${window.offset}`
	);
	const day = (d: string | Date) => new Date(d).toISOString().slice(0, 10);
	return {
		items: rows.map((r) => ({
			adoptionId: r.adoptionId,
			plotId: r.plotId,
			plotLabel: plotName(r.plotId, { neighbourhood: r.neighbourhoodName }),
			adopter: r.teamName ?? r.email ?? '—',
			lastSignOn: day(r.lastSign),
			weeksQuiet: Math.floor((Date.now() - new Date(r.lastSign).getTime()) / (7 * 86_400_000)),
			nudgedOn: r.nudgedAt ? day(r.nudgedAt) : null
		})),
		total,
		...pageOf(window)
	};
}


/** A friendly nudge to the adopters of a quiet adoption. Never ends anything by itself. */
export async function nudgeAdoption(db: Db, actor: Actor, adoptionId: number, weeks: number, origin?: string): Promise<void> {
	if (!can(actor, 'manage.view')) throw new AdoptionError('forbidden');
	await db.transaction(async (tx) => {
		const a = await adoptionAudience(tx, adoptionId, 'active');
		for (const userId of a.people) {
			await notify(tx, { userId, kind: 'adoption_nudge', payload: { plotId: a.plotId, neighbourhood: a.neighbourhood, weeks }, origin });
		}
		await recordAudit(tx, actor, { action: 'adoption.nudge', subjectType: 'adoption', subjectId: adoptionId, after: { weeks } });
	});
}

// One sweep at a time across app processes: a transaction-scoped advisory lock.
const QUIET_SWEEP_LOCK = 0x7065726b; // 'perk'

/**
 * The automatic first step for quiet adoptions: every adoption quiet for `weeks` weeks that
 * has had no nudge since its last sign of life gets one (audited as 'system'). It never ends
 * an adoption; that stays a manager's decision on /beheer/stil. Returns how many were nudged.
 */
export async function nudgeQuietAdoptions(db: Db, weeks: number): Promise<number> {
	return db.transaction(async (tx) => {
		const [{ locked }] = await queryRows<{ locked: boolean }>(tx, sql`SELECT pg_try_advisory_xact_lock(${QUIET_SWEEP_LOCK}) AS locked`);
		if (!locked) return 0;
		const due = await queryRows<{ id: number }>(
			tx,
			sql`SELECT s.id FROM (${quietAdoptionsSql(weeks)}) s WHERE s.nudged_at IS NULL ORDER BY s.id`
		);
		for (const { id } of due) {
			const a = await adoptionAudience(tx, id, 'active');
			for (const userId of a.people) {
				await notify(tx, { userId, kind: 'adoption_nudge', payload: { plotId: a.plotId, neighbourhood: a.neighbourhood, weeks } });
			}
			await recordAudit(tx, null, { action: 'adoption.nudge', subjectType: 'adoption', subjectId: id, after: { weeks, automatic: true } });
		}
		return due.length;
	});
}

/** Runs nudgeQuietAdoptions now and then in this process (the timer never keeps it alive). */
export function startQuietSweep(db: Db, everyMs = 60 * 60_000): RepeatingJob {
	return startRepeating('quiet-adoption sweep', everyMs, () => nudgeQuietAdoptions(db, staleWeeks()));
}

/** Weeks without a sign of life before an adoption counts as quiet (PERKJE_STALE_WEEKS, checked at start-up). */
export function staleWeeks(): number {
	return getConfig().adoptions.staleWeeks;
}

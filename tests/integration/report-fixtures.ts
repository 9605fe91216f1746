import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { REPORT_FEEDBACK_DAYS, type ReportState } from '#lib/domain/report.js';
import { ensurePartnerOrganisation, upsertAccount } from '#server/auth';
import { queryRows, type Db } from '#server/db';
import { hashReportToken, insertReport, moveReport, type ReportActor } from '#server/reports';

/**
 * Reports for the tests of every part of reporting (inbox, partner list, feedback, tiles,
 * Open311), placed through the core (so each has its plot, neighbourhood, deadline and route)
 * and, where asked, moved on by a manager.
 */

let counter = 0;
const next = () => `${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 6)}`;

export async function categoryId(db: Db, slug = 'zwerfafval'): Promise<number> {
	const [row] = await queryRows<{ id: number }>(db, sql`SELECT id FROM report_categories WHERE slug = ${slug}`);
	if (!row) throw new Error(`no category ${slug}`);
	return row.id;
}

export async function partnerOrganisation(db: Db, name = `Partner ${next()}`): Promise<number> {
	return (await ensurePartnerOrganisation(db, name, 'contractor')).id;
}

/** A signed-in account of a role (a partner account belongs to `partnerOrganisationId`). */
export async function reportAccount(
	db: Db,
	role: 'resident' | 'manager' | 'partner' | 'admin' = 'resident',
	partnerOrganisationId: number | null = null
): Promise<string> {
	const { id } = await upsertAccount(db, { email: `${role}-${next()}@voorbeeld.nl`, emailVerified: true, role, partnerOrganisationId });
	return id;
}

export async function routeTo(db: Db, partnerOrganisationId: number | null, where: { categoryId?: number; neighbourhoodId?: number; districtCode?: string } = {}): Promise<void> {
	await db.execute(
		sql`INSERT INTO report_routing_rules (category_id, neighbourhood_id, district_code, partner_organisation_id)
		VALUES (${where.categoryId ?? null}, ${where.neighbourhoodId ?? null}, ${where.districtCode ?? null}, ${partnerOrganisationId})`
	);
}

export interface ReportFixture {
	lon: number;
	lat: number;
	category?: string;
	description?: string;
	reporterUserId?: string | null;
	reporterEmail?: string | null;
	/** Default true. */
	confirmed?: boolean;
	createdAt?: Date;
	/** Moved there by a manager after creation (one move; must be allowed from 'reported'). */
	state?: ReportState;
}

export async function addReport(db: Db, f: ReportFixture): Promise<number> {
	const now = f.createdAt ?? new Date();
	const catId = await categoryId(db, f.category);
	return db.transaction(async (tx) => {
		const placed = await insertReport(tx, {
			categoryId: catId,
			description: f.description ?? 'Er ligt afval in het perk.',
			lon: f.lon,
			lat: f.lat,
			source: f.reporterUserId ? 'account' : 'email',
			reporterUserId: f.reporterUserId ?? null,
			reporterEmail: f.reporterUserId ? null : (f.reporterEmail ?? `melder-${next()}@voorbeeld.nl`),
			contactAllowed: false,
			confirmed: f.confirmed ?? true,
			idempotencyKey: null,
			now
		});
		if (f.state && f.state !== 'reported') {
			const manager: ReportActor = { userId: null, role: 'manager', kind: 'manager' };
			await moveReport(tx, { reportId: placed.id, to: f.state, actor: manager, now });
		}
		return placed.id;
	});
}

/**
 * A report a manager marked done, with the feedback question the done mail carries (until the
 * mail makes these rows itself): returns the link's token. `openUntil` defaults to 14 days on.
 */
export async function addDoneReportWithFeedback(
	db: Db,
	f: ReportFixture & { doneAt?: Date; openUntil?: Date; doneNote?: string }
): Promise<{ reportId: number; token: string }> {
	const reportId = await addReport(db, { ...f, state: 'in_progress' });
	const doneAt = f.doneAt ?? new Date();
	const token = randomBytes(24).toString('base64url');
	await db.transaction(async (tx) => {
		const manager: ReportActor = { userId: null, role: 'manager', kind: 'manager' };
		await moveReport(tx, { reportId, to: 'done', actor: manager, publicNote: f.doneNote ?? 'Het afval is opgeruimd.', now: doneAt });
		await tx.execute(
			sql`INSERT INTO report_feedback (report_id, token_hash, open_until, created_at)
			VALUES (${reportId}, ${hashReportToken(token)}, ${f.openUntil ?? new Date(doneAt.getTime() + REPORT_FEEDBACK_DAYS * 86_400_000)}, ${doneAt})`
		);
	});
	return { reportId, token };
}

import { sql } from 'drizzle-orm';
import type { ReportState } from '#lib/domain/report.js';
import { ensurePartnerOrganisation, upsertAccount } from '#server/auth';
import { queryRows, type Db } from '#server/db';
import { insertReport, moveReport, type ReportActor } from '#server/reports';

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

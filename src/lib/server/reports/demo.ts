import { sql } from 'drizzle-orm';
import type { ReportState } from '#lib/domain/report.js';
import { queryRows, type Database } from '#server/db';
import { SYSTEM_ACTOR, insertReport, moveReport, type ReportActor } from './core';

/**
 * Reports to try the municipality's and the partner's side at once. ONLY in demo mode (the
 * caller checks config.demo; the demo accounts and plots are seeded first): a routing rule
 * sending everything 'groen' to the demo partner, and DEMO_REPORTS on demo plots, made by the
 * demo resident through the core with an earlier `now` — which is also how one of them is past
 * its deadline on every start, without a clock of its own.
 */
export const DEMO_PARTNER_NAME = 'Demo: Buurtwerk Perkje';

export interface DemoReport {
	category: string;
	description: string;
	/** Made this many days before the first start. */
	daysAgo: number;
	/** Moved there (by the partner when it is routed to one, else by the manager). */
	state: ReportState;
	publicNote?: string;
}

/**
 * 'Boom' has a target of 3 working days, which end at most 5 calendar days after the start:
 * made 6 days ago and still 'reported', it is overdue on every weekday, and never 3× over.
 */
export const DEMO_OVERDUE_DAYS_AGO = 6;

export const DEMO_REPORTS: readonly DemoReport[] = [
	{ category: 'onkruid', description: 'Demo: veel onkruid tussen de struiken langs het pad.', daysAgo: 1, state: 'reported' },
	{ category: 'boom', description: 'Demo: een grote tak hangt los boven het fietspad.', daysAgo: DEMO_OVERDUE_DAYS_AGO, state: 'reported' },
	{ category: 'snoeien', description: 'Demo: de haag steekt ver over de stoep.', daysAgo: 2, state: 'scheduled', publicNote: 'Demo: we snoeien de haag volgende week.' },
	{ category: 'ziek-of-dood-groen', description: 'Demo: de heesters in het perk zijn verdord.', daysAgo: 8, state: 'done', publicNote: 'Demo: de dode heesters zijn vervangen.' },
	{ category: 'zwerfafval', description: 'Demo: zakken afval naast het perk.', daysAgo: 1, state: 'in_progress' },
	{ category: 'kapot-meubilair-of-hek', description: 'Demo: het hek om het perk is kapot.', daysAgo: 2, state: 'info_requested', publicNote: 'Demo: aan welke kant van het perk is het hek kapot?' },
	{ category: 'vandalisme', description: 'Demo: de nieuwe plantjes zijn uitgetrokken.', daysAgo: 0, state: 'reported' },
	{ category: 'wateroverlast', description: 'Demo: na regen staat het perk onder water.', daysAgo: 3, state: 'cancelled', publicNote: 'Demo: dit is al opgelost door het waterschap.' }
];

export type DemoReportsResult = { seeded: false } | { seeded: true; reports: number };

/**
 * Seeds the routing rule and the reports once: a database that has ever had a demo report is
 * left as it is, so it is safe on every start.
 */
export async function seedDemoReports(database: Database, residentEmail: string, now = new Date()): Promise<DemoReportsResult> {
	return database.db.transaction(async (tx) => {
		const [seen] = await queryRows<{ id: number }>(tx, sql`SELECT id FROM reports WHERE description LIKE 'Demo:%' LIMIT 1`);
		if (seen) return { seeded: false };
		const [who] = await queryRows<{ resident: string | null; manager: string | null; partner: string | null; partner_org: number | null; groen: number | null }>(
			tx,
			sql`SELECT
				(SELECT id FROM users WHERE email = ${residentEmail} AND demo) AS resident,
				(SELECT id FROM users WHERE role = 'manager' AND demo ORDER BY created_at LIMIT 1) AS manager,
				(SELECT u.id FROM users u JOIN partner_organisations o ON o.id = u.partner_organisation_id
				  WHERE u.role = 'partner' AND u.demo AND o.name = ${DEMO_PARTNER_NAME} LIMIT 1) AS partner,
				(SELECT id FROM partner_organisations WHERE name = ${DEMO_PARTNER_NAME}) AS partner_org,
				(SELECT id FROM report_categories WHERE slug = 'groen') AS groen`
		);
		if (!who || !who.resident || who.partner_org === null || who.groen === null) return { seeded: false };
		const [rule] = await queryRows<{ id: number }>(
			tx,
			sql`SELECT id FROM report_routing_rules WHERE category_id = ${who.groen} AND neighbourhood_id IS NULL AND district_code IS NULL`
		);
		if (!rule) {
			await tx.execute(
				sql`INSERT INTO report_routing_rules (category_id, partner_organisation_id) VALUES (${who.groen}, ${who.partner_org})`
			);
		}
		// Plots in no browser-test lane (tests/e2e/helpers.ts: lanes are id modulo 12, 0 is none),
		// each report on its own plot, at a point inside it.
		const plots = await queryRows<{ id: number; lon: number; lat: number }>(
			tx,
			sql`SELECT p.id, ST_X(ST_PointOnSurface(p.geom)) AS lon, ST_Y(ST_PointOnSurface(p.geom)) AS lat
			FROM plots p WHERE p.status = 'active' AND p.neighbourhood_id IS NOT NULL AND p.id % 12 = 0
			ORDER BY p.id LIMIT ${DEMO_REPORTS.length}`
		);
		if (plots.length < DEMO_REPORTS.length) return { seeded: false };
		const manager: ReportActor = who.manager ? { userId: who.manager, role: 'manager', kind: 'manager' } : { ...SYSTEM_ACTOR, role: 'manager', kind: 'manager' };
		const partner: ReportActor = who.partner ? { userId: who.partner, role: 'partner', kind: 'partner' } : manager;
		let i = 0;
		for (const demo of DEMO_REPORTS) {
			const plot = plots[i++]!;
			const [cat] = await queryRows<{ id: number }>(tx, sql`SELECT id FROM report_categories WHERE slug = ${demo.category}`);
			if (!cat) continue;
			const createdAt = new Date(now.getTime() - demo.daysAgo * 86_400_000 - 3_600_000);
			const placed = await insertReport(tx, {
				categoryId: cat.id,
				description: demo.description,
				lon: Number(plot.lon),
				lat: Number(plot.lat),
				source: 'account',
				reporterUserId: who.resident,
				reporterEmail: null,
				contactAllowed: true,
				confirmed: true,
				idempotencyKey: `demo-report-${i}`,
				plotId: plot.id,
				now: createdAt
			});
			if (demo.state === 'reported') continue;
			// A partner may not cancel; the municipality does that.
			const by = placed.partnerOrganisationId !== null && demo.state !== 'cancelled' ? partner : manager;
			const movedAt = new Date(createdAt.getTime() + 2 * 3_600_000);
			await moveReport(tx, { reportId: placed.id, to: demo.state, actor: by, publicNote: demo.publicNote ?? null, now: movedAt });
		}
		return { seeded: true, reports: DEMO_REPORTS.length };
	});
}

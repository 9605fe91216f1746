import path from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { overdue, type ReportState } from '#lib/domain/report.js';
import { DEMO_ACCOUNTS, seedDemoAccounts } from '#server/auth';
import { getDatabase, getDb, queryRows } from '#server/db';
import { seedDemoIfEmpty } from '#server/import';
import { loadMunicipality } from '#server/municipality';
import { DEMO_PARTNER_NAME, DEMO_REPORTS, seedDemoReports } from './index';

/**
 * The demo's reports on a fresh demo (the Delft demo data and the demo accounts, as a demo start
 * seeds them): 'groen' goes to the demo partner, the reports are in several states, one is past
 * its deadline, and a second start adds nothing.
 */
const RESIDENT = DEMO_ACCOUNTS.find((a) => a.role === 'resident')!.email;

describe('seedDemoReports', () => {
	it('routes green to the demo partner and makes reports in several states, one overdue, once', async () => {
		const database = getDatabase();
		await seedDemoIfEmpty(database, loadMunicipality(path.resolve('db/seed/municipality.json')), process.cwd());
		await seedDemoAccounts(database);
		const now = new Date();
		expect(await seedDemoReports(database, RESIDENT, now)).toEqual({ seeded: true, reports: DEMO_REPORTS.length });

		const rows = await queryRows<{ slug: string; parent: string; state: ReportState; partner: string | null; deadline_at: Date; deadline_3x_at: Date; reporter: string; plot_id: number | null }>(
			getDb(),
			sql`SELECT c.slug, p.slug AS parent, r.state, o.name AS partner, r.deadline_at, r.deadline_3x_at, u.email AS reporter, r.plot_id
			FROM reports r JOIN report_categories c ON c.id = r.category_id JOIN report_categories p ON p.id = c.parent_id
			LEFT JOIN partner_organisations o ON o.id = r.partner_organisation_id JOIN users u ON u.id = r.reporter_user_id
			WHERE r.description LIKE 'Demo:%' ORDER BY r.id`
		);
		expect(rows.map((r) => [r.slug, r.state])).toEqual(DEMO_REPORTS.map((d) => [d.category, d.state]));
		for (const r of rows) {
			expect(r.reporter).toBe(RESIDENT);
			expect(r.plot_id).not.toBeNull();
			expect(r.partner).toBe(r.parent === 'groen' ? DEMO_PARTNER_NAME : null);
		}
		const late = rows.filter((r) => overdue(r.state, new Date(r.deadline_at), new Date(r.deadline_3x_at), now) !== 'no');
		expect(late.map((r) => [r.slug, overdue(r.state, new Date(r.deadline_at), new Date(r.deadline_3x_at), now)])).toEqual([['boom', 'overdue']]);
		const [{ states }] = await queryRows<{ states: number }>(getDb(), sql`SELECT count(DISTINCT state)::int AS states FROM reports`);
		expect(states).toBeGreaterThanOrEqual(5);

		expect(await seedDemoReports(database, RESIDENT, now)).toEqual({ seeded: false });
		const [{ n }] = await queryRows<{ n: number }>(getDb(), sql`SELECT count(*)::int AS n FROM reports`);
		expect(n).toBe(DEMO_REPORTS.length);
	});
});

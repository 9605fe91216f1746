import path from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { localDay } from '#lib/domain/activity.js';
import { parseCareMapFilter } from '#lib/domain/care-manage.js';
import type { Actor } from '#lib/domain/policy.js';
import { endAdoption } from '#server/adoptions';
import { DEMO_ACCOUNTS, seedDemoAccounts } from '#server/auth';
import { getDatabase, getDb, queryRows } from '#server/db';
import { seedDemoIfEmpty } from '#server/import';
import { loadMunicipality } from '#server/municipality';
import { careForm, DEMO_CARE, listCareMap, listContributions, ownActivity, publicCare, seedDemoCare } from './index';

/**
 * The demo resident's own plot on a fresh demo (the Delft demo data and the demo accounts, as
 * a demo start seeds them): a running adoption with care of the last weeks, once.
 */
const RESIDENT = DEMO_ACCOUNTS.find((a) => a.role === 'resident')!.email;
const daysAgo = (n: number) => localDay(new Date(Date.now() - n * 86_400_000));

async function resident(): Promise<Actor> {
	const [u] = await queryRows<{ id: string }>(getDb(), sql`SELECT id FROM users WHERE email = ${RESIDENT}`);
	return { id: u.id, role: 'resident', emailVerified: true, neighbourhoodIds: [], districtCodes: [], partnerOrganisationId: null };
}

async function counts() {
	const [row] = await queryRows<{ adoptions: number; activities: number }>(
		getDb(),
		sql`SELECT (SELECT count(*) FROM adoptions)::int AS adoptions, (SELECT count(*) FROM activities)::int AS activities`
	);
	return row;
}

describe('seedDemoCare', () => {
	it('gives the demo resident a plot with care of the last weeks, one entry past its edit window', async () => {
		const database = getDatabase();
		await seedDemoIfEmpty(database, loadMunicipality(path.resolve('db/seed/municipality.json')), process.cwd());
		await seedDemoAccounts(database);
		const [lowest] = await queryRows<{ id: number }>(getDb(), sql`SELECT min(id)::int AS id FROM plots WHERE adoptable`);

		const result = await seedDemoCare(database, RESIDENT);
		expect(result).toEqual({ seeded: true, plotId: lowest.id, entries: DEMO_CARE.length });
		const plotId = lowest.id;
		const me = await resident();

		// "Mijn perken" offers the care log: the form is theirs at once.
		expect(await careForm(getDb(), me, plotId)).not.toBeNull();
		// The public plot page shows the care, newest first, without the resident's e-mail.
		const care = await publicCare(getDb(), plotId, { viewerId: me.id });
		expect(care.lastDoneOn).toBe(daysAgo(4));
		expect(care.timeline.map((e) => e.doneOn)).toEqual([daysAgo(4), daysAgo(15), daysAgo(30)]);
		expect(JSON.stringify(care)).not.toContain(RESIDENT);
		// The newest is still theirs to change; the one of fifteen days ago no longer is.
		const [recent, old] = care.timeline;
		expect((await ownActivity(getDb(), me, recent.id))?.changeable).toBe(true);
		expect((await ownActivity(getDb(), me, old.id))?.changeable).toBe(false);
		expect(recent.yours).toBe(true);
		expect(old.yours).toBe(false);

		// The manager's map of care and contributions have something to show.
		const map = await listCareMap(getDb(), parseCareMapFilter(new URLSearchParams()));
		expect(map.items.find((r) => r.plotId === plotId)?.ageClass).toBe('week');
		const contributions = await listContributions(getDb(), { from: daysAgo(60), to: daysAgo(0), by: 'adopter' });
		const row = contributions.rows.find((r) => r.email === RESIDENT);
		// 60 × 2 + 20 + 45 minutes.
		expect(row).toMatchObject({ entries: 3, minutes: 185, plots: 1 });
	});

	it('seeds once: a restart adds nothing, and an adoption the resident ended stays ended', async () => {
		const database = getDatabase();
		await seedDemoIfEmpty(database, loadMunicipality(path.resolve('db/seed/municipality.json')), process.cwd());
		await seedDemoAccounts(database);
		await seedDemoCare(database, RESIDENT);
		const before = await counts();
		expect(await seedDemoCare(database, RESIDENT)).toEqual({ seeded: false });
		expect(await counts()).toEqual(before);

		const [adoption] = await queryRows<{ id: number }>(
			getDb(),
			sql`SELECT a.id FROM adoptions a JOIN users u ON u.id = a.user_id WHERE u.email = ${RESIDENT} AND a.status = 'active'`
		);
		await endAdoption(getDb(), await resident(), adoption.id);
		expect(await seedDemoCare(database, RESIDENT)).toEqual({ seeded: false });
		expect(await counts()).toEqual(before);
	});

	it('leaves alone an address that is no demo account', async () => {
		const database = getDatabase();
		expect(await seedDemoCare(database, 'niemand@demo.perkje.invalid')).toEqual({ seeded: false });
		expect(await counts()).toMatchObject({ adoptions: 1, activities: DEMO_CARE.length });
	});
});

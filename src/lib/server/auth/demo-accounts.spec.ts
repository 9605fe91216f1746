import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Actor } from '#lib/domain/policy.js';
import { getDatabase, getDb, queryRows } from '#server/db';
import { seedDemoAccounts } from './demo-accounts';
import { changeRole, upsertAccount } from './users';

/** Every start seeds the demo accounts: the audit trail must only hear about real changes. */
async function auditRows(): Promise<number> {
	const [row] = await queryRows<{ n: number }>(getDb(), sql`select count(*)::int as n from audit_log`);
	return row.n;
}

describe('demo accounts', () => {
	it('a second seeding (a restart) writes no audit rows and changes no role', async () => {
		const database = getDatabase();
		await seedDemoAccounts(database);
		const afterFirst = await auditRows();
		expect(afterFirst).toBeGreaterThan(0);
		const second = await seedDemoAccounts(database);
		expect(second.created).toBe(0);
		expect(await auditRows()).toBe(afterFirst);
	});

	it('a role change to the role someone already has is no change, and not audited', async () => {
		const { id } = await upsertAccount(getDb(), { email: 'baas@gemeente.nl', role: 'admin', emailVerified: true });
		const admin: Actor = { id, role: 'admin', emailVerified: true, neighbourhoodIds: [], districtCodes: [], partnerOrganisationId: null };
		expect((await changeRole(getDb(), admin, { email: 'collega@gemeente.nl', role: 'manager' })).ok).toBe(true);
		const before = await auditRows();
		expect(await changeRole(getDb(), admin, { email: 'collega@gemeente.nl', role: 'manager' })).toMatchObject({ ok: true, created: false });
		expect(await auditRows()).toBe(before);
		// A real change is still recorded.
		expect((await changeRole(getDb(), admin, { email: 'collega@gemeente.nl', role: 'admin' })).ok).toBe(true);
		expect(await auditRows()).toBe(before + 1);
	});
});

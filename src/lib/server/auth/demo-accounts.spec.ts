import { verifyPassword } from 'better-auth/crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Actor } from '#lib/domain/policy.js';
import { getDatabase, getDb, queryRows } from '#server/db';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoAccounts } from './demo-accounts';
import { changeRole, upsertAccount } from './users';

/** Every start seeds the demo accounts: the audit trail must only hear about real changes. */
async function auditRows(): Promise<number> {
	const [row] = await queryRows<{ n: number }>(getDb(), sql`select count(*)::int as n from audit_log`);
	return row.n;
}

/** Each demo account's stored password hash, by e-mail address. */
async function demoHashes(): Promise<Map<string, string>> {
	const rows = await queryRows<{ email: string; password: string }>(
		getDb(),
		sql`select u.email, a.password from users u join accounts a on a.user_id = u.id and a.provider_id = 'credential'
			where u.email like '%@demo.perkje.invalid'`
	);
	return new Map(rows.map((r) => [r.email, r.password]));
}

describe('demo accounts', () => {
	it('a restart keeps the demo password without hashing it again, and gives back one changed in the demo', async () => {
		const database = getDatabase();
		await seedDemoAccounts(database);
		const first = await demoHashes();
		expect([...first.keys()].sort()).toEqual(DEMO_ACCOUNTS.map((a) => a.email).sort());
		for (const hash of first.values()) expect(await verifyPassword({ hash, password: DEMO_PASSWORD })).toBe(true);

		// Someone changes a demo account's password, as the demo allows.
		const changed = DEMO_ACCOUNTS[1].email;
		await upsertAccount(getDb(), { email: changed, password: 'een ander wachtwoord' });
		const meanwhile = await demoHashes();
		expect(await verifyPassword({ hash: meanwhile.get(changed)!, password: DEMO_PASSWORD })).toBe(false);

		await seedDemoAccounts(database);
		const second = await demoHashes();
		// The unchanged accounts keep the very hash they had: nothing was hashed or written.
		for (const account of DEMO_ACCOUNTS.filter((a) => a.email !== changed)) {
			expect(second.get(account.email)).toBe(first.get(account.email));
		}
		// The changed one signs in with the demo password again.
		expect(await verifyPassword({ hash: second.get(changed)!, password: DEMO_PASSWORD })).toBe(true);
	});

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

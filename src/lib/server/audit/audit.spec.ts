import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Actor } from '#lib/domain/policy.js';
import { changeRole, upsertAccount } from '#server/auth';
import { getDb, queryRows } from '#server/db';
import { auditLog, users } from '#lib/server/db/schema.js';
import { listAudit, parseAuditFilter, recordAudit } from '.';

/** The audit trail on the real database (both kinds). */
async function admin(email: string): Promise<Actor> {
	const { id } = await upsertAccount(getDb(), { email, role: 'admin', emailVerified: true });
	return { id, role: 'admin', emailVerified: true, neighbourhoodIds: [], districtCodes: [], partnerOrganisationId: null };
}

describe('audit log', () => {
	it('records a role change with who, before and after — and nothing for a refused one', async () => {
		const actor = await admin('baas@gemeente.nl');
		const { id: target } = await upsertAccount(getDb(), { email: 'bewoner@voorbeeld.nl' });
		const result = await changeRole(getDb(), actor, { email: 'bewoner@voorbeeld.nl', role: 'manager' });
		expect(result.ok).toBe(true);
		const { items: rows } = await listAudit(getDb(), parseAuditFilter(new URLSearchParams('subject=user:' + target)));
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({
			actorEmail: 'baas@gemeente.nl',
			actorRole: 'admin',
			action: 'user.role_change',
			before: { role: 'resident' },
			after: { role: 'manager' }
		});
		// No e-mail address of the person the row is about.
		expect(JSON.stringify(rows[0].before) + JSON.stringify(rows[0].after)).not.toContain('@');
		// The page names the person when it is shown (and stops when the account is gone).
		expect(rows[0].subjectLabel).toBe('bewoner@voorbeeld.nl');
		await getDb().update(users).set({ displayName: 'Bea Bewoner' }).where(eq(users.id, target));
		const named = await listAudit(getDb(), parseAuditFilter(new URLSearchParams('subject=user:' + target)));
		expect(named.items[0].subjectLabel).toBe('Bea Bewoner');

		// The last admin demoting themselves is refused: no audit row either.
		const before = (await listAudit(getDb(), parseAuditFilter(new URLSearchParams()))).total;
		const refused = await changeRole(getDb(), actor, { email: 'baas@gemeente.nl', role: 'resident' });
		expect(refused).toEqual({ ok: false, reason: 'last-admin' });
		expect((await listAudit(getDb(), parseAuditFilter(new URLSearchParams()))).total).toBe(before);
	});

	it('an action that fails takes its audit row with it (same transaction)', async () => {
		const actor = await admin('tweede@gemeente.nl');
		await expect(
			getDb().transaction(async (tx) => {
				await recordAudit(tx, actor, { action: 'plot.not_adoptable', subjectType: 'plot', subjectId: 1 });
				throw new Error('the action failed');
			})
		).rejects.toThrow('the action failed');
		const { total } = await listAudit(getDb(), parseAuditFilter(new URLSearchParams('action=plot.')));
		expect(total).toBe(0);
	});

	it('is append-only, but lets the actor go when their account is deleted', async () => {
		const actor = await admin('weg@gemeente.nl');
		await recordAudit(getDb(), actor, { action: 'agreement.publish', subjectType: 'agreement', subjectId: 7, after: { a: 1 } });
		await expect(getDb().execute(sql`update audit_log set action = 'edited'`)).rejects.toThrow();
		await expect(getDb().execute(sql`delete from audit_log`)).rejects.toThrow();
		await getDb().delete(users).where(eq(users.id, actor.id));
		const rows = await getDb().select().from(auditLog).where(eq(auditLog.action, 'agreement.publish'));
		expect(rows).toEqual([expect.objectContaining({ actorUserId: null, actorRole: 'admin', after: { a: 1 } })]);
	});

	it('filters by actor, action, subject and date, and pages', async () => {
		const a = await admin('filter-a@gemeente.nl');
		const b = await admin('filter-b@gemeente.nl');
		for (let i = 0; i < 55; i++) {
			await recordAudit(getDb(), i % 2 ? a : b, { action: i % 3 ? 'adoption.approve' : 'adoption.reject', subjectType: 'adoption', subjectId: i });
		}
		const q = (s: string) => listAudit(getDb(), parseAuditFilter(new URLSearchParams(s)));
		expect((await q('actor=filter-a')).total).toBe(27);
		// By name too, as the page shows the actor.
		await getDb().update(users).set({ displayName: 'Fenna Filter' }).where(eq(users.id, a.id));
		expect((await q('actor=fenna')).total).toBe(27);
		expect((await q('action=adoption.reject')).total).toBe(19);
		expect((await q('subject=adoption:12')).items.map((r) => r.subjectId)).toEqual(['12']);
		const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date());
		expect((await q(`subject=adoption&from=${today}&to=${today}`)).total).toBe(55);
		expect((await q('subject=adoption&to=2000-01-01')).total).toBe(0);
		const page2 = await q('subject=adoption&page=2');
		expect(page2).toMatchObject({ pageCount: 2 });
		expect(page2.items).toHaveLength(5);
		// Bad input is ignored, not an error.
		expect((await q('from=gisteren&page=-3')).items.length).toBeGreaterThan(0);
		const [{ n }] = await queryRows<{ n: number }>(getDb(), sql`select count(*)::int as n from audit_log`);
		expect(n).toBeGreaterThanOrEqual(55);
	});
});

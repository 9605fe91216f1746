import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Actor } from '#lib/domain/policy.js';
import { upsertAccount } from '#server/auth';
import { getDb, queryRows } from '#server/db';
import { currentAgreement, isAdoptionError, publishAgreement, requestAdoption } from '#server/adoptions';
import { addPlot, square } from '#tests/integration/plots-fixtures.js';

/** The adoption agreement an admin publishes, and what it means for residents' requests. */
async function person(email: string, role: Actor['role']): Promise<Actor> {
	const { id } = await upsertAccount(getDb(), { email, emailVerified: true, role });
	return { id, role, emailVerified: true, neighbourhoodIds: [], districtCodes: [], partnerOrganisationId: null };
}

const TEXT = {
	textNl: 'Ik zorg met plezier voor dit perk en houd het netjes.',
	textEn: 'I will gladly take care of this plot and keep it tidy.'
};

describe('the adoption agreement', () => {
	it('an admin publishes a new version, audited; older requests must see it first', async () => {
		const admin = await person('admin-agreement@example.nl', 'admin');
		const resident = await person('bewoner-agreement@example.nl', 'resident');
		// The seed's version 2 says "u" where version 1 said "je" (published versions stay as they were).
		const before = await currentAgreement(getDb());
		expect(before?.version).toBe(2);
		expect(before?.textNl).toContain('U zorgt met aandacht voor het perk');
		expect(before?.textNl).not.toMatch(/\b(je|jij|jouw|jullie)\b/i);
		const [first] = await queryRows<{ textNl: string }>(getDb(), sql`SELECT text_nl AS "textNl" FROM adoption_agreements WHERE version = 1`);
		expect(first.textNl).toContain('Je zorgt met aandacht');

		const result = await publishAgreement(getDb(), admin, TEXT);
		expect(result).toEqual({ ok: true, agreement: { version: 3, ...TEXT } });
		expect(await currentAgreement(getDb())).toEqual({ version: 3, ...TEXT });

		const [audit] = await queryRows<{ action: string; subjectId: string; actor: string }>(
			getDb(),
			sql`SELECT action, subject_id AS "subjectId", actor_user_id AS actor FROM audit_log
				WHERE action = 'agreement.publish'`
		);
		expect(audit).toEqual({ action: 'agreement.publish', subjectId: '3', actor: admin.id });

		// A form still showing version 2 cannot bind anyone to version 3.
		const plotId = await addPlot(getDb(), 'agreement-plot', square(4.36, 52.01, 0.0002));
		const outdated = await requestAdoption(getDb(), resident, {
			plotId,
			agreementVersion: 2,
			idempotencyKey: 'agreement-old'
		}).catch((e: unknown) => e);
		expect(isAdoptionError(outdated, 'agreement-outdated')).toBe(true);
		const ok = await requestAdoption(getDb(), resident, {
			plotId,
			agreementVersion: 3,
			idempotencyKey: 'agreement-new'
		});
		expect(ok).toMatchObject({ created: true, adoption: { status: 'requested' } });
	});

	it('the same text again makes no version; residents and managers may not publish', async () => {
		const admin = await person('admin-agreement-2@example.nl', 'admin');
		const current = await currentAgreement(getDb());
		// As a browser posts a textarea: CRLF line breaks, maybe a trailing newline.
		const asPosted = (t: string) => `${t.replace(/\n/g, '\r\n')}\r\n`;
		expect(
			await publishAgreement(getDb(), admin, { textNl: asPosted(current!.textNl), textEn: asPosted(current!.textEn) })
		).toEqual({ ok: false, reason: 'unchanged' });
		for (const role of ['resident', 'manager'] as const) {
			const someone = await person(`${role}-agreement@example.nl`, role);
			expect(await publishAgreement(getDb(), someone, { textNl: 'x'.repeat(30), textEn: 'y'.repeat(30) })).toEqual({
				ok: false,
				reason: 'forbidden'
			});
		}
		expect((await currentAgreement(getDb()))?.version).toBe(current!.version);
	});
});

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestMailbox, type TestMailbox } from '#tests/support/test-smtp.js';
import { getConfig } from '#server/config';
import { getDb, queryRows, openDatabase } from '#server/db';
import { enqueueMail, processOutbox, retryDelayMs } from './outbox';

/**
 * The outbox worker against the real database (both kinds) and a real SMTP server in this
 * process: what arrives there is what a resident would get.
 */
let mailbox: TestMailbox;
const from = 'Perkje <noreply@perkje.test>';

beforeAll(async () => {
	mailbox = await startTestMailbox([4280, 4289]);
});
afterAll(async () => {
	await mailbox.close();
});

async function pending(to: string, subject = 'Hallo') {
	return enqueueMail(getDb(), { to, kind: 'adoption_approved', subject, text: 'Tekst' });
}

async function row(id: number) {
	const [r] = await queryRows<{ status: string; attempts: number; due: boolean; lastError: string | null }>(
		getDb(),
		sql`select status, attempts, next_attempt_at <= now() as due, last_error as "lastError" from mail_outbox where id = ${id}`
	);
	return r;
}

const received = (to: string) => mailbox.mails.filter((m) => m.to.includes(to)).length;

describe('mail outbox worker', () => {
	it('delivers a pending mail once and marks it sent', async () => {
		const id = await pending('een@voorbeeld.nl', 'Je adoptie is goedgekeurd');
		const result = await processOutbox(getDb(), { smtpUrl: mailbox.url, from });
		expect(result).toMatchObject({ claimed: 1, sent: 1 });
		const mail = await mailbox.waitFor('een@voorbeeld.nl', { subject: /goedgekeurd/ });
		expect(mail.body).toContain('Tekst');
		expect(await row(id)).toMatchObject({ status: 'sent', attempts: 1 });
		// A second pass finds nothing to do: no second copy.
		expect((await processOutbox(getDb(), { smtpUrl: mailbox.url, from })).claimed).toBe(0);
		expect(received('een@voorbeeld.nl')).toBe(1);
	});

	it('keeps a mail the SMTP server refused and sends it on a later pass', async () => {
		const id = await pending('twee@voorbeeld.nl');
		// Nothing listens on port 1: the connection is refused.
		const down = await processOutbox(getDb(), { smtpUrl: 'smtp://127.0.0.1:1', from }, { retryBaseMs: 60_000 });
		expect(down).toMatchObject({ claimed: 1, retried: 1, sent: 0 });
		expect(await row(id)).toMatchObject({ status: 'pending', attempts: 1, due: false });
		expect((await row(id)).lastError).toBeTruthy();
		// Not due yet: even with the server back, the backoff holds.
		expect((await processOutbox(getDb(), { smtpUrl: mailbox.url, from })).claimed).toBe(0);
		await getDb().execute(sql`update mail_outbox set next_attempt_at = now() where id = ${id}`);
		expect(await processOutbox(getDb(), { smtpUrl: mailbox.url, from })).toMatchObject({ sent: 1 });
		await mailbox.waitFor('twee@voorbeeld.nl');
		expect(await row(id)).toMatchObject({ status: 'sent', attempts: 2 });
		expect(received('twee@voorbeeld.nl')).toBe(1);
	});

	it('gives up after the last attempt and marks the mail failed', async () => {
		const id = await pending('drie@voorbeeld.nl');
		await processOutbox(getDb(), { smtpUrl: 'smtp://127.0.0.1:1', from }, { maxAttempts: 1 });
		expect(await row(id)).toMatchObject({ status: 'failed', attempts: 1 });
	});

	it('retakes a mail whose sender crashed after claiming it, but not one still in flight', async () => {
		const crashed = await pending('vier@voorbeeld.nl');
		const inFlight = await pending('vijf@voorbeeld.nl');
		// As a crashed worker leaves it: claimed long ago, never marked.
		await getDb().execute(
			sql`update mail_outbox set claimed_at = now() - interval '1 hour', attempts = 1 where id = ${crashed}`
		);
		await getDb().execute(sql`update mail_outbox set claimed_at = now(), attempts = 1 where id = ${inFlight}`);
		const result = await processOutbox(getDb(), { smtpUrl: mailbox.url, from });
		expect(result).toMatchObject({ claimed: 1, sent: 1 });
		await mailbox.waitFor('vier@voorbeeld.nl');
		expect(received('vijf@voorbeeld.nl')).toBe(0);
		expect(await row(inFlight)).toMatchObject({ status: 'pending' });
	});

	it('without SMTP keeps pending mails as logged (the demo mailbox reads them there)', async () => {
		const id = await pending('zes@voorbeeld.nl');
		expect(await processOutbox(getDb(), { smtpUrl: undefined, from })).toMatchObject({ logged: 1 });
		expect(await row(id)).toMatchObject({ status: 'logged' });
	});

	it('two workers at once never send one mail twice', async () => {
		const config = getConfig().db;
		// On PostgreSQL a second pool is a second app process as far as locking goes; the
		// embedded database has one connection, so there the two passes interleave on it.
		const other =
			config.databaseUrl !== undefined
				? openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, holder: 'second worker' })
				: null;
		try {
			const ids: number[] = [];
			for (let i = 0; i < 30; i++) ids.push(await pending(`parallel-${i}@voorbeeld.nl`));
			const workers = [getDb(), other?.db ?? getDb()];
			const runUntilEmpty = async (db: ReturnType<typeof getDb>) => {
				let sent = 0;
				for (;;) {
					const r = await processOutbox(db, { smtpUrl: mailbox.url, from }, { batchSize: 4 });
					sent += r.sent;
					if (r.claimed === 0) return sent;
				}
			};
			const [a, b] = await Promise.all(workers.map(runUntilEmpty));
			expect(a + b).toBe(30);
			for (let i = 0; i < 30; i++) expect(received(`parallel-${i}@voorbeeld.nl`)).toBe(1);
			const [{ n }] = await queryRows<{ n: number }>(
				getDb(),
				sql`select count(*)::int as n from mail_outbox where status = 'sent' and attempts = 1 and id = any(${sql.raw(`array[${ids.join(',')}]`)})`
			);
			expect(n).toBe(30);
			if (other) expect(a).toBeGreaterThan(0);
			if (other) expect(b).toBeGreaterThan(0);
		} finally {
			await other?.close();
		}
	});

	it('backs off exponentially, capped', () => {
		expect(retryDelayMs(1)).toBe(60_000);
		expect(retryDelayMs(2)).toBe(120_000);
		expect(retryDelayMs(20)).toBe(6 * 60 * 60_000);
	});
});

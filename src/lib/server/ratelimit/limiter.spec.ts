import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb, queryRows } from '#server/db';
import { consume, consumeAll, limitPosting, RATE_LIMITS } from './limiter';

describe('rate limiter (database)', () => {
	const rule = { name: 'test', limit: 3, windowSeconds: 60 };

	it('allows up to the limit, then refuses with the time until the window ends', async () => {
		const results = [];
		for (let i = 0; i < 5; i++) results.push(await consume(getDb(), rule, 'Ann@Example.nl'));
		expect(results.map((r) => r.allowed)).toEqual([true, true, true, false, false]);
		expect(results[4].retryAfterSeconds).toBeGreaterThan(0);
		expect(results[4].retryAfterSeconds).toBeLessThanOrEqual(60);
		// Same account, other spelling: counted together.
		expect((await consume(getDb(), rule, ' ann@example.NL')).allowed).toBe(false);
		expect((await consume(getDb(), rule, 'bob@example.nl')).allowed).toBe(true);
	});

	it('starts counting again when the window has passed', async () => {
		for (let i = 0; i < 4; i++) await consume(getDb(), rule, 'expired');
		await getDb().execute(sql`update rate_limits set window_start = now() - interval '2 minutes'`);
		expect((await consume(getDb(), rule, 'expired')).allowed).toBe(true);
	});

	it('counts parallel attempts exactly (one atomic statement per check)', async () => {
		const wide = { name: 'parallel', limit: 1000, windowSeconds: 60 };
		await Promise.all(Array.from({ length: 40 }, () => consume(getDb(), wide, 'same')));
		const last = await consume(getDb(), { ...wide, limit: 40 }, 'same');
		expect(last.allowed).toBe(false);
	});

	it('stores no e-mail or IP address', async () => {
		await consumeAll(getDb(), [
			[RATE_LIMITS.signInAccount, 'secret@example.nl'],
			[RATE_LIMITS.signInIp, '203.0.113.7']
		]);
		await limitPosting(getDb(), 'user-1', '203.0.113.7');
		const rows = await queryRows<{ key: string }>(getDb(), sql`select key from rate_limits`);
		expect(rows.some((r) => /secret|203\.0/.test(r.key))).toBe(false);
	});
});

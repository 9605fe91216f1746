import { describe, expect, it, vi } from 'vitest';
import { startRepeating } from '.';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a repeating job', () => {
	it('runs again and again, one run at a time, and a failed run does not stop the next', async () => {
		let runs = 0;
		let overlapping = false;
		let busy = false;
		const job = startRepeating('test job', 5, async () => {
			if (busy) overlapping = true;
			busy = true;
			runs += 1;
			await tick(12);
			busy = false;
			if (runs === 1) throw new Error('the first run fails');
		});
		await vi.waitFor(() => expect(runs).toBeGreaterThanOrEqual(3), { timeout: 10_000 });
		await job.stop();
		expect(overlapping).toBe(false);
	});

	it('stop() waits for the run under way and starts no other', async () => {
		let finished = 0;
		let started = 0;
		const job = startRepeating('test job', 5, async () => {
			started += 1;
			await tick(30);
			finished += 1;
		});
		await vi.waitFor(() => expect(started).toBeGreaterThan(finished), { timeout: 10_000 });
		await job.stop();
		expect(finished).toBe(started);
		const after = started;
		await tick(30);
		expect(started).toBe(after);
	});
});

/** Timing and percentiles for benchmarks. Times are in milliseconds unless a name says otherwise. */

/** Runs `fn` once and returns its value with the wall time it took. */
export async function timed<T>(fn: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
	const start = performance.now();
	const value = await fn();
	return { value, ms: performance.now() - start };
}

/** Nearest-rank percentile (p in 0..100) of sorted samples; NaN for none. */
function ofSorted(sorted: readonly number[], p: number): number {
	if (sorted.length === 0) return NaN;
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** Nearest-rank percentile (p in 0..100) of unsorted samples; NaN for none. */
export function percentile(samples: readonly number[], p: number): number {
	return ofSorted([...samples].sort((a, b) => a - b), p);
}

export interface Summary {
	n: number;
	min: number;
	mean: number;
	p50: number;
	p95: number;
	p99: number;
	max: number;
}

export function summarize(samples: readonly number[]): Summary {
	const n = samples.length;
	const sorted = [...samples].sort((a, b) => a - b);
	return {
		n,
		min: sorted[0] ?? NaN,
		mean: n === 0 ? NaN : sorted.reduce((s, x) => s + x, 0) / n,
		p50: ofSorted(sorted, 50),
		p95: ofSorted(sorted, 95),
		p99: ofSorted(sorted, 99),
		max: sorted[n - 1] ?? NaN
	};
}

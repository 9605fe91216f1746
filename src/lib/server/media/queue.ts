/**
 * At most `limit` tasks at once, the rest waiting in order. Decoding a 50-megapixel photo
 * takes some 150 MB of pixels; eight uploads decoded at once would take the process past
 * what a small server has, one or two at a time keep it flat and lose no throughput on a
 * machine whose cores are busy with the first ones anyway.
 */
export function createQueue(limit: number) {
	let running = 0;
	const waiting: Array<() => void> = [];
	const next = () => {
		running--;
		waiting.shift()?.();
	};
	return async function run<T>(task: () => Promise<T>): Promise<T> {
		if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
		running++;
		try {
			return await task();
		} finally {
			next();
		}
	};
}

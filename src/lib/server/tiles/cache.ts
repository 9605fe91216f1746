/**
 * A small least-recently-used cache bounded by bytes. A Map keeps insertion order, so
 * re-inserting on every hit makes its first key the least recently used one.
 */
export class ByteLru<V> {
	private entries = new Map<string, { value: V; bytes: number }>();
	private total = 0;

	constructor(
		private readonly maxBytes: number,
		private readonly sizeOf: (value: V) => number
	) {}

	get(key: string): V | undefined {
		const entry = this.entries.get(key);
		if (!entry) return undefined;
		this.entries.delete(key);
		this.entries.set(key, entry);
		return entry.value;
	}

	set(key: string, value: V): void {
		const bytes = this.sizeOf(value);
		this.delete(key);
		if (bytes > this.maxBytes) return;
		this.entries.set(key, { value, bytes });
		this.total += bytes;
		for (const [oldest, entry] of this.entries) {
			if (this.total <= this.maxBytes) break;
			this.entries.delete(oldest);
			this.total -= entry.bytes;
		}
	}

	delete(key: string): void {
		const entry = this.entries.get(key);
		if (!entry) return;
		this.entries.delete(key);
		this.total -= entry.bytes;
	}

	/** Drops every entry whose key passes the test. */
	deleteWhere(test: (key: string) => boolean): void {
		for (const key of [...this.entries.keys()]) if (test(key)) this.delete(key);
	}

	clear(): void {
		this.entries.clear();
		this.total = 0;
	}

	get size(): number {
		return this.entries.size;
	}

	get bytes(): number {
		return this.total;
	}
}

import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '#server/db';

/**
 * Figures over whole tables that the public pages show on every request (the home page's
 * totals and neighbourhoods, the filter choices, how many plots a filter finds), computed once
 * per data version rather than per request.
 *
 * Why this is safe: every statement that writes plots, neighbourhoods or adoptions bumps that
 * table's row in data_versions from a statement trigger, in the same transaction (migrations
 * 0003 and 0006), so no change becomes visible without a new version. Each call reads the
 * versions first (one small primary-key read, so a change made by another process counts at
 * once, not after some time to live) and reuses a value only under the versions it was computed
 * after. A change that commits between that read and the computation makes the value newer
 * than its key, never older: the next call reads the new version and computes again.
 */

/** The tables the cached figures are computed from (rows of data_versions). */
const DATA_SETS = ['adoptions', 'neighbourhoods', 'plots'] as const;
/** Enough for every filter combination people use at once; each entry is small. */
const MAX_ENTRIES = 500;

interface Store {
	version: string;
	/** Least recently used first (a Map keeps insertion order; hits are re-inserted). */
	entries: Map<string, Promise<unknown>>;
}

// Per database: tests and benchmarks open several in one process.
const stores = new WeakMap<Db, Store>();

async function dataVersion(db: Db): Promise<string> {
	const [row] = await queryRows<{ v: string | null }>(
		db,
		sql`SELECT string_agg(name || '=' || version || '.' || floor(extract(epoch FROM changed_at) * 1000)::bigint, ',' ORDER BY name) AS v
			FROM data_versions WHERE name IN (${sql.join(
				DATA_SETS.map((n) => sql`${n}`),
				sql`, `
			)})`
	);
	return row?.v ?? '';
}

/**
 * The value `compute` gives for `key` under the current data version: computed on the first
 * call after a change (once, however many calls ask at the same time), reused until the next.
 */
export async function versionedReadModel<T>(db: Db, key: string, compute: () => Promise<T>): Promise<T> {
	const version = await dataVersion(db);
	let store = stores.get(db);
	if (!store) {
		store = { version, entries: new Map() };
		stores.set(db, store);
	}
	if (store.version !== version) {
		store.entries.clear();
		store.version = version;
	}
	const entries = store.entries;
	const hit = entries.get(key) as Promise<T> | undefined;
	if (hit) {
		entries.delete(key);
		entries.set(key, hit);
		return hit;
	}
	const value = compute();
	entries.set(key, value);
	// A failed computation is not remembered: the next call tries again.
	value.catch(() => {
		if (entries.get(key) === value) entries.delete(key);
	});
	for (const oldest of entries.keys()) {
		if (entries.size <= MAX_ENTRIES) break;
		entries.delete(oldest);
	}
	return value;
}

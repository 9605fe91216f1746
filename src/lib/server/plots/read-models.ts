import { AsyncLocalStorage } from 'node:async_hooks';
import { dataVersions, type Db } from '#server/db';

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
export const READ_MODEL_DATA_SETS = ['adoptions', 'neighbourhoods', 'plots'] as const;
export type ReadModelDataSet = (typeof READ_MODEL_DATA_SETS)[number];
/** Enough for every filter combination people use at once; each entry is small. */
const MAX_ENTRIES = 500;

interface Entry {
	/** The versions of the data sets the value was computed from. */
	version: string;
	value: Promise<unknown>;
}

// Per database (tests and benchmarks open several in one process); least recently used first
// (a Map keeps insertion order; hits are re-inserted).
const stores = new WeakMap<Db, Map<string, Entry>>();

/**
 * One read of data_versions per database for every read model asked for inside
 * withOneVersionRead(): a page that shows several (the home page, four or five) then reads the
 * versions once per request instead of once per figure. Read during the request, so as fresh
 * as a read per figure: a change that commits later counts from the next request.
 */
const versionReads = new AsyncLocalStorage<Map<Db, Promise<Record<string, string>>>>();

/** Runs `load` (a page's reads) with one read of data_versions for all its read models. */
export function withOneVersionRead<T>(load: () => Promise<T>): Promise<T> {
	return versionReads.run(new Map(), load);
}

function readModelVersions(db: Db): Promise<Record<string, string>> {
	const reads = versionReads.getStore();
	let read = reads?.get(db);
	if (!read) {
		read = dataVersions(db, READ_MODEL_DATA_SETS);
		reads?.set(db, read);
	}
	return read;
}

/**
 * The value `compute` gives for `key` under the current versions of the data sets it reads
 * (`dependsOn`, all three unless it reads fewer: the extent of the plots does not change when
 * someone adopts one): computed on the first call after a change to one of them (once, however
 * many calls ask at the same time), reused until the next.
 */
export async function versionedReadModel<T>(
	db: Db,
	key: string,
	compute: () => Promise<T>,
	dependsOn: readonly ReadModelDataSet[] = READ_MODEL_DATA_SETS
): Promise<T> {
	const versions = await readModelVersions(db);
	const version = dependsOn.map((name) => `${name}=${versions[name] ?? ''}`).join(',');
	let entries = stores.get(db);
	if (!entries) {
		entries = new Map();
		stores.set(db, entries);
	}
	const hit = entries.get(key);
	if (hit?.version === version) {
		entries.delete(key);
		entries.set(key, hit);
		return hit.value as Promise<T>;
	}
	const entry: Entry = { version, value: compute() };
	entries.delete(key);
	entries.set(key, entry);
	// A failed computation is not remembered: the next call tries again.
	const store = entries;
	entry.value.catch(() => {
		if (store.get(key) === entry) store.delete(key);
	});
	for (const oldest of entries.keys()) {
		if (entries.size <= MAX_ENTRIES) break;
		entries.delete(oldest);
	}
	return entry.value as Promise<T>;
}

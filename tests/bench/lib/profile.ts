import type { SQL } from 'drizzle-orm';
import type { Db } from '#server/db';

/**
 * Where a service's time goes, without touching the service: a Db whose `execute` (also
 * inside transactions) is timed per statement, keyed by the statement's first words.
 * Time not spent waiting for SQL is the service's own JavaScript (parsing, checking).
 */
export interface StatementTime {
	statement: string;
	calls: number;
	ms: number;
	/** Each call's time, in call order (to see whether calls get slower as tables grow). */
	samples: number[];
}

export interface Profiler {
	db: Db;
	statements(): StatementTime[];
	totalSqlMs(): number;
}

function firstWords(query: unknown): string {
	const chunks = (query as { queryChunks?: unknown[] }).queryChunks;
	const text =
		chunks
			?.map((c) => (c && typeof c === 'object' && 'value' in c && Array.isArray(c.value) ? c.value.join('') : ' ? '))
			.join('') ?? String(query);
	return text.replace(/--[^\n]*/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 72);
}

export function profileDb(db: Db): Profiler {
	const times = new Map<string, StatementTime>();
	const timedExecute =
		(execute: (q: SQL) => Promise<unknown>) =>
		async (query: SQL): Promise<unknown> => {
			const start = performance.now();
			try {
				return await execute(query);
			} finally {
				const statement = firstWords(query);
				const entry = times.get(statement) ?? { statement, calls: 0, ms: 0, samples: [] };
				const ms = performance.now() - start;
				entry.calls++;
				entry.ms += ms;
				entry.samples.push(ms);
				times.set(statement, entry);
			}
		};
	const wrap = <T extends object>(target: T): T =>
		new Proxy(target, {
			get(obj, prop, receiver) {
				const value = Reflect.get(obj, prop, receiver);
				if (prop === 'execute' && typeof value === 'function') return timedExecute(value.bind(obj));
				if (prop === 'transaction' && typeof value === 'function') {
					return (fn: (tx: unknown) => Promise<unknown>, config?: unknown) =>
						value.call(obj, (tx: object) => fn(wrap(tx)), config);
				}
				return typeof value === 'function' ? value.bind(obj) : value;
			}
		});
	return {
		db: wrap(db),
		statements: () => [...times.values()].sort((a, b) => b.ms - a.ms),
		totalSqlMs: () => [...times.values()].reduce((s, t) => s + t.ms, 0)
	};
}

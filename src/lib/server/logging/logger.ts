import pino from 'pino';
import { earlyLogLevel } from '#server/config';

/**
 * The one logger: JSON lines on stdout, one object per event, for whatever collects them
 * (journald, docker logs, Loki). Synchronous writes, so the last line before a
 * process.exit() (a failed start) is never lost; at this app's request rates the cost is
 * negligible. Level names instead of numbers so the lines read well without tooling.
 */
export const logger = pino(
	{
		level: earlyLogLevel(),
		base: { pid: process.pid },
		timestamp: pino.stdTimeFunctions.isoTime,
		formatters: { level: (label) => ({ level: label }) }
	},
	pino.destination({ dest: 1, sync: true })
);

/**
 * A multi-line message (config and zod errors list one problem per line) as one line,
 * because the person starting the app reads one clear line, not a dump.
 */
export function oneLine(message: string): string {
	const [first, ...rest] = message
		.split('\n')
		.map((part) => part.trim())
		.filter(Boolean);
	return rest.length ? `${first} ${rest.join('; ')}` : (first ?? '');
}

/** The one line that says why the app cannot start. */
export function startupFailureMessage(e: unknown): string {
	return `Perkje cannot start: ${oneLine(e instanceof Error ? e.message : String(e))}`;
}

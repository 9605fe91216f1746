import { logger } from '#server/logging';

/** A job this process runs now and then: stopped (and awaited) when the app shuts down. */
export interface RepeatingJob {
	stop(): Promise<void>;
}

/**
 * Runs `job` every `everyMs` in this process, one run at a time; a failed run is logged and
 * the next one tries again. The timer never keeps the process alive.
 */
export function startRepeating(name: string, everyMs: number, job: () => Promise<unknown>): RepeatingJob {
	let running: Promise<unknown> | null = null;
	const timer = setInterval(() => {
		running ??= job()
			.catch((e: unknown) => logger.warn({ err: e instanceof Error ? e.message : String(e) }, `${name} failed`))
			.finally(() => (running = null));
	}, everyMs);
	timer.unref();
	return {
		async stop() {
			clearInterval(timer);
			await running;
		}
	};
}

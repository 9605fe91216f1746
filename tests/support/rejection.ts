import { expect } from 'vitest';

/** What `run` was refused with (its error), or undefined when it went through. */
export async function rejection(run: () => Promise<unknown>): Promise<unknown> {
	return run().then(
		() => undefined,
		(e: unknown) => e
	);
}

/**
 * `run` is refused with an error of `type` whose message matches `message`, and what
 * `snapshot` reads is the same afterwards: nothing was lost or half-written. The error, for
 * what the test checks next.
 */
export async function expectRefusedUnchanged<E extends Error>(
	run: () => Promise<unknown>,
	type: new (...args: never[]) => E,
	message: RegExp,
	snapshot: () => Promise<unknown>
): Promise<E> {
	const before = await snapshot();
	const error = await rejection(run);
	expect(error).toBeInstanceOf(type);
	expect((error as E).message).toMatch(message);
	expect(await snapshot()).toEqual(before);
	return error as E;
}

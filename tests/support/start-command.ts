import fs from 'node:fs';
import path from 'node:path';

/**
 * Node's arguments for the app exactly as `npm start` runs it (package.json's start script,
 * its Node flags included), plus `extra`: what tests and benchmarks spawn, so that they
 * measure and check the process a municipality runs, not a variant of it.
 */
export function npmStartArgs(...extra: string[]): string[] {
	const pkg = JSON.parse(fs.readFileSync(path.resolve('package.json'), 'utf8')) as { scripts: { start: string } };
	const [command, ...args] = pkg.scripts.start.trim().split(/\s+/);
	if (command !== 'node') throw new Error(`npm start runs "${command}", not node: update ${import.meta.url}`);
	return [...args, ...extra];
}

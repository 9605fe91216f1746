import fs from 'node:fs';
import path from 'node:path';

const ROUTE_FILES = /^\+(page\.svelte|page\.server\.ts|page\.ts|server\.ts)$/;

/** Route ids (with groups, as SvelteKit names them) of every page and endpoint in src/routes. */
export function routeIdsOnDisk(): string[] {
	const root = path.resolve('src/routes');
	const found = new Set<string>();
	const walk = (dir: string) => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) walk(full);
			else if (ROUTE_FILES.test(entry.name)) found.add('/' + path.relative(root, dir).split(path.sep).join('/'));
		}
	};
	walk(root);
	return [...found].sort();
}

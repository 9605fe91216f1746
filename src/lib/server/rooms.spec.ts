import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The rooms of src/lib/server as README.md there describes them: code outside a room imports
 * only its face (index.ts), and no room imports one that imports it back. Read from the
 * source text, so a new import that breaks either rule fails here, not in a review.
 */
const SERVER = path.resolve('src/lib/server');
const SRC = path.resolve('src');

function sourceFiles(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return entry.name === 'paraglide' ? [] : sourceFiles(full);
		return /\.(ts|svelte)$/.test(entry.name) && !entry.name.endsWith('.spec.ts') ? [full] : [];
	});
}

const rooms = fs.readdirSync(SERVER, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

/** A file's imports of server rooms, as [room, rest]: `#server/<room>` is the face (rest ''),
 * `#lib/server/<room>/<file>` reaches inside (rest '/<file>'). */
function serverImports(file: string): Array<[string, string]> {
	const text = fs.readFileSync(file, 'utf8');
	const faces = [...text.matchAll(/(?:from |import\()'#server\/([a-z-]+)'/g)].map((m): [string, string] => [m[1], '']);
	const inside = [...text.matchAll(/(?:from |import\()'#lib\/server\/([a-z-]+)(\/[^']*)?'/g)].map((m): [string, string] => [m[1], m[2] ?? '']);
	return [...faces, ...inside];
}

function roomOf(file: string): string | null {
	const rel = path.relative(SERVER, file);
	return rel.startsWith('..') || !rel.includes(path.sep) ? null : rel.split(path.sep)[0];
}

describe('the server rooms', () => {
	it('every room has an index.ts face', () => {
		expect(rooms.filter((room) => !fs.existsSync(path.join(SERVER, room, 'index.ts')))).toEqual([]);
	});

	it('code outside a room imports only its face (and db/schema)', () => {
		const reachingIn = sourceFiles(SRC).flatMap((file) =>
			serverImports(file)
				.filter(([room, rest]) => rest !== '' && roomOf(file) !== room && `${room}${rest}` !== 'db/schema.js')
				.map(([room, rest]) => `${path.relative(SRC, file)} → ${room}${rest}`)
		);
		expect(reachingIn).toEqual([]);
	});

	it('no room imports one that imports it back, however far round', () => {
		const edges = new Map<string, Set<string>>(rooms.map((room) => [room, new Set()]));
		for (const file of sourceFiles(SERVER)) {
			const from = roomOf(file);
			if (!from) continue;
			for (const [to] of serverImports(file)) if (to !== from) edges.get(from)?.add(to);
		}
		const circles: string[] = [];
		const visit = (room: string, trail: string[]) => {
			if (trail.includes(room)) {
				circles.push([...trail.slice(trail.indexOf(room)), room].join(' → '));
				return;
			}
			for (const next of edges.get(room) ?? []) visit(next, [...trail, room]);
		};
		for (const room of rooms) visit(room, []);
		expect(circles).toEqual([]);
	});
});

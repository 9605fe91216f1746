import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Extension } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';

/**
 * PostGIS for the embedded database, without what Perkje never loads.
 *
 * PGlite unpacks an extension's whole bundle into memory and compiles every shared library
 * in it when it starts. The PostGIS bundle holds postgis, postgis_raster and
 * postgis_topology (16 MB of WebAssembly each), the tiger geocoder and upgrade scripts:
 * 91 MB of files. Perkje creates only `postgis` (db/migrations/0000), so it starts PGlite
 * with a bundle of just that library, its install script and PROJ's data. Measured on
 * PGlite 0.5 (open + one ST_Transform): 923 MB → 582 MB maximum RSS.
 */

/** What the slim bundle keeps: the postgis library, its control file and install script, PROJ. */
function keep(name: string): boolean {
	return (
		name === 'lib/postgresql/postgis-3.so' ||
		name === 'share/postgresql/extension/postgis.control' ||
		/^share\/postgresql\/extension\/postgis--\d+\.\d+\.\d+\.sql$/.test(name) ||
		name.startsWith('share/proj/')
	);
}

const BLOCK = 512;

/** The names of a ustar archive's files (not directories). */
export function tarNames(tar: Buffer): string[] {
	const names: string[] = [];
	filterTar(tar, (name) => (names.push(name), false));
	return names;
}

function field(header: Buffer, start: number, length: number): string {
	const raw = header.subarray(start, start + length);
	const end = raw.indexOf(0);
	return raw.subarray(0, end === -1 ? length : end).toString('utf8');
}

/** The entries of a ustar archive that `accept` takes (directories all kept), as a new archive. */
export function filterTar(tar: Buffer, accept: (name: string) => boolean): Buffer {
	const out: Buffer[] = [];
	let offset = 0;
	while (offset + BLOCK <= tar.length) {
		const header = tar.subarray(offset, offset + BLOCK);
		if (header.every((b) => b === 0)) break;
		const prefix = field(header, 345, 155);
		const name = (prefix ? `${prefix}/` : '') + field(header, 0, 100);
		const size = parseInt(field(header, 124, 12).trim() || '0', 8);
		const type = String.fromCharCode(header[156] || 48);
		const length = BLOCK + Math.ceil(size / BLOCK) * BLOCK;
		if (type === '5' || accept(name.replace(/^\.\//, ''))) out.push(tar.subarray(offset, offset + length));
		offset += length;
	}
	out.push(Buffer.alloc(BLOCK * 2));
	return Buffer.concat(out);
}

/** Builds the slim bundle once per PostGIS bundle (keyed on its size and date) in the temp folder. */
export function slimBundle(original: string): string {
	const stat = fs.statSync(original);
	const target = path.join(os.tmpdir(), `perkje-postgis-${stat.size}-${Math.trunc(stat.mtimeMs)}.tar.gz`);
	if (fs.existsSync(target)) return target;
	const slim = gzipSync(filterTar(gunzipSync(fs.readFileSync(original)), keep), { level: 1 });
	// Written aside and renamed, so a second process never reads half a bundle.
	const partial = `${target}.${process.pid}.partial`;
	fs.writeFileSync(partial, slim);
	fs.renameSync(partial, target);
	return target;
}

export const slimPostgis: Extension = {
	name: 'postgis',
	async setup(pg, emscriptenOpts) {
		const setup = await postgis.setup(pg, emscriptenOpts);
		if (!setup.bundlePath) return setup;
		try {
			const original = fileURLToPath(setup.bundlePath);
			return { ...setup, bundlePath: new URL(`file://${slimBundle(original)}`) };
		} catch {
			// A temp folder that cannot be written costs memory, not the database.
			return setup;
		}
	}
};

import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { slimBundle, tarNames } from './postgis-bundle';

const original = path.join(
	path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite-postgis')),
	'postgis.tar.gz'
);

describe('the embedded PostGIS bundle', () => {
	it('keeps postgis, its install script and PROJ, and leaves out raster, topology and the geocoder', () => {
		const full = tarNames(gunzipSync(fs.readFileSync(original)));
		const slim = tarNames(gunzipSync(fs.readFileSync(slimBundle(original))));
		expect(full).toContain('lib/postgresql/postgis_raster-3.so');
		expect(slim).toContain('lib/postgresql/postgis-3.so');
		expect(slim).toContain('share/postgresql/extension/postgis.control');
		expect(slim).toContain('share/proj/proj.db');
		expect(slim.filter((n) => /^share\/postgresql\/extension\/postgis--[\d.]+\.sql$/.test(n))).toHaveLength(1);
		expect(slim.filter((n) => /raster|topology|tiger|unpackaged/.test(n))).toEqual([]);
		// What PGlite unpacks into memory and compiles at every start.
		expect(fs.statSync(slimBundle(original)).size).toBeLessThan(fs.statSync(original).size / 2);
	});
});

import { defineConfig } from 'drizzle-kit';

// drizzle-kit only generates SQL here; the app applies migrations itself (it cannot load
// PostGIS into a PGlite folder). No database connection is needed to generate.
export default defineConfig({
	schema: './src/lib/server/db/schema.ts',
	out: './db/migrations',
	dialect: 'postgresql',
	extensionsFilters: ['postgis'],
	strict: true
});

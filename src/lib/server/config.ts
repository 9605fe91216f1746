import path from 'node:path';
import { z } from 'zod';

/**
 * All server configuration comes from the environment, read once, validated here, so a
 * typo in a variable fails at start-up with a clear message instead of deep in a request.
 * Plain `process.env` (not `$env/dynamic/private`) because the CLI commands share this.
 */
const EnvSchema = z.object({
	DATABASE_URL: z
		.string()
		.regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// or postgresql://')
		.optional()
		.or(z.literal('').transform(() => undefined)),
	PERKJE_DATA_DIR: z.string().default('data/pglite'),
	PERKJE_MUNICIPALITY_FILE: z.string().default('db/seed/municipality.json'),
	PERKJE_DEMO: z.enum(['true', 'false', '']).optional(),
	LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')
});

export interface ServerConfig {
	/** Set: a PostgreSQL + PostGIS server. Unset: the embedded PGlite database. */
	databaseUrl: string | undefined;
	/** Absolute path of the embedded database's data folder. */
	dataDir: string;
	municipalityFile: string;
	/** Load the demo data into an empty database on start-up. */
	demo: boolean;
	logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
	/** Folder with migrations and seed data; the app runs from the project root. */
	projectRoot: string;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
	const parsed = EnvSchema.safeParse(env);
	if (!parsed.success) {
		const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
		throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
	}
	const e = parsed.data;
	const projectRoot = process.cwd();
	return {
		databaseUrl: e.DATABASE_URL,
		dataDir: path.resolve(projectRoot, e.PERKJE_DATA_DIR),
		municipalityFile: path.resolve(projectRoot, e.PERKJE_MUNICIPALITY_FILE),
		// Demo data by default only on the embedded database: a production server starts empty.
		demo: e.PERKJE_DEMO ? e.PERKJE_DEMO === 'true' : !e.DATABASE_URL,
		logLevel: e.LOG_LEVEL,
		projectRoot
	};
}

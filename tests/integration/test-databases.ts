import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * Test databases. The suite runs on whichever database the environment names: the embedded
 * one by default, PostgreSQL + PostGIS when DATABASE_URL is set (CI runs both). A migrated
 * template is made once per run; each test file gets its own copy of it, so files can run
 * in parallel and never see each other's rows.
 */
export const TEST_ROOT = path.resolve('tests/.tmp');

/**
 * The template belongs to one test run (named after the runner's pid, passed to the workers
 * through the environment), so two runs on one machine never share or drop each other's.
 */
export function templateName(): string {
	const name = process.env.PERKJE_TEST_TEMPLATE;
	if (!name) throw new Error('PERKJE_TEST_TEMPLATE is not set: run the tests through vitest');
	return name;
}

export function embeddedTemplateDir(): string {
	return path.join(TEST_ROOT, templateName());
}

export function serverUrl(): string | undefined {
	return process.env.DATABASE_URL || undefined;
}

export function withDatabase(url: string, name: string): string {
	const u = new URL(url);
	u.pathname = `/${name}`;
	return u.toString();
}

/** Runs SQL on the server's maintenance database (CREATE/DROP DATABASE cannot run elsewhere). */
export async function adminQuery(url: string, text: string): Promise<void> {
	const client = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
	await client.connect();
	try {
		await client.query(text);
	} finally {
		await client.end();
	}
}

/** A fresh copy of the template for one test file; returns the env to use and a cleanup. */
export async function freshTestDatabase(
	label: string
): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
	const url = serverUrl();
	const suffix = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
	if (url) {
		const name = `perkje_t_${label.replace(/\W/g, '_').slice(0, 20)}_${suffix}`.toLowerCase();
		await adminQuery(url, `CREATE DATABASE "${name}" TEMPLATE "${templateName()}"`);
		return {
			env: { DATABASE_URL: withDatabase(url, name) },
			drop: () => adminQuery(url, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
		};
	}
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), `perkje-${label.replace(/\W/g, '_')}-`));
	const dataDir = path.join(dir, 'pglite');
	fs.cpSync(embeddedTemplateDir(), dataDir, { recursive: true });
	return {
		env: { PERKJE_DATA_DIR: dataDir },
		drop: async () => fs.rmSync(dir, { recursive: true, force: true })
	};
}

/**
 * A browser tests' server: the built app (`npm start -- --no-build`) on a database of its
 * own, fresh every run, with the demo data loaded on start-up unless PERKJE_DEMO=false.
 *
 * - Embedded (default): a temporary data folder, removed when the server stops.
 * - DATABASE_URL set (CI's second run): a database `perkje_e2e_<port>` on that server,
 *   dropped and created before the app starts. It is left behind for inspection and
 *   replaced on the next run.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { adminQuery, withDatabase } from '../integration/test-databases';
import { npmStartArgs } from '#tests/support/start-command.js';

const port = process.env.PORT ?? '4210';
const env: NodeJS.ProcessEnv = {
	...process.env,
	HOST: '127.0.0.1',
	PORT: port,
	PERKJE_DEMO: process.env.PERKJE_DEMO === 'false' ? 'false' : 'true',
	LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn'
};

let tempDir: string | undefined;
const serverUrl = process.env.DATABASE_URL || undefined;
if (serverUrl) {
	const name = `perkje_e2e_${port}`;
	await adminQuery(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
	await adminQuery(serverUrl, `CREATE DATABASE "${name}"`);
	env.DATABASE_URL = withDatabase(serverUrl, name);
	console.error(`[e2e] PostgreSQL database ${name}`);
} else {
	tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'perkje-e2e-'));
	env.PERKJE_DATA_DIR = path.join(tempDir, 'pglite');
	console.error(`[e2e] embedded database in ${env.PERKJE_DATA_DIR}`);
}

const app = spawn(
	process.execPath,
	npmStartArgs('--no-build'),
	{ env, stdio: 'inherit' }
);

function cleanUp() {
	if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
}

// Playwright stops the server with SIGTERM; the app then finishes requests and closes the
// database before the folder is removed.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
	process.on(signal, () => app.kill(signal));
}
app.on('exit', (code, signal) => {
	cleanUp();
	process.exit(code ?? (signal ? 1 : 0));
});

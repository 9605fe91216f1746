import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirLockedError, lockFilePath } from './lock';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'perkje-lock-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('the embedded database folder lock', () => {
	it('keeps a second holder out while the first lives, and is gone after release', () => {
		const dir = path.join(scratch, 'a');
		const release = acquireDataDirLock(dir, 'first');
		expect(() => acquireDataDirLock(dir, 'second')).not.toThrow(DataDirLockedError); // same pid: re-entrant
		release();
		expect(fs.existsSync(lockFilePath(dir))).toBe(false);
	});

	it('goes with a process that exits without closing the database (a second Ctrl-C)', () => {
		const dir = path.join(scratch, 'b');
		const script = `
			import { acquireDataDirLock } from ${JSON.stringify(path.resolve('src/lib/server/db/lock.ts'))};
			acquireDataDirLock(${JSON.stringify(dir)}, 'exiting');
			process.exit(1);`;
		const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
			encoding: 'utf8'
		});
		expect(result.status, result.stderr).toBe(1);
		expect(fs.existsSync(lockFilePath(dir))).toBe(false);
	});
});

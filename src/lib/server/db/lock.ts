import fs from 'node:fs';
import path from 'node:path';

/**
 * PGlite can be opened by one process at a time; a second process writing the same folder
 * corrupts it. A lock file with the owner's pid keeps the app and the CLI commands apart,
 * and a stale lock (its process is gone, e.g. after kill -9) is taken over.
 */
export class DataDirLockedError extends Error {
	constructor(
		readonly dataDir: string,
		readonly pid: number,
		readonly holder: string
	) {
		super(
			`The embedded database in ${dataDir} is in use by ${holder} (pid ${pid}). ` +
				`Stop that process first, or run against PostgreSQL with DATABASE_URL.`
		);
		this.name = 'DataDirLockedError';
	}
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return (e as NodeJS.ErrnoException).code === 'EPERM';
	}
}

export function lockFilePath(dataDir: string): string {
	// Beside the folder, not in it: PGlite owns the folder's contents.
	return `${path.resolve(dataDir)}.lock`;
}

/** Takes the lock or throws DataDirLockedError. Returns the release function. */
export function acquireDataDirLock(dataDir: string, holder: string): () => void {
	const file = lockFilePath(dataDir);
	fs.mkdirSync(path.dirname(file), { recursive: true });
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			fs.writeFileSync(file, JSON.stringify({ pid: process.pid, holder }), { flag: 'wx' });
			let released = false;
			const release = () => {
				if (released) return;
				released = true;
				process.off('exit', release);
				try {
					const current = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid: number };
					if (current.pid === process.pid) fs.unlinkSync(file);
				} catch {
					/* already gone */
				}
			};
			// A process that exits without closing the database (a second Ctrl-C, a failed
			// start) still takes its lock along; only kill -9 leaves a stale one to take over.
			process.on('exit', release);
			return release;
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
			let owner: { pid: number; holder: string } | undefined;
			try {
				owner = JSON.parse(fs.readFileSync(file, 'utf8'));
			} catch {
				owner = undefined; // half-written or unreadable: treat as stale
			}
			if (owner && owner.pid !== process.pid && alive(owner.pid)) {
				throw new DataDirLockedError(dataDir, owner.pid, owner.holder);
			}
			fs.rmSync(file, { force: true });
		}
	}
	throw new Error(`Could not lock ${dataDir}`);
}

/**
 * Forms kept on this device when sending failed (no signal in a park): their text fields and
 * photo files in IndexedDB, so nothing typed or photographed is lost and the form can be sent
 * again later with the same idempotency key. Plain IndexedDB, no library: one store, keyed by
 * that key, small records.
 */

export interface KeptPhoto {
	name: string;
	type: string;
	blob: Blob;
	/** Set once the photo reached the server (POST /api/photos). */
	uploadedId: number | null;
	small: string | null;
}

export interface KeptForm {
	/** The form's idempotency key. */
	key: string;
	/** The page the form is on (pathname), so the page finds its own kept form. */
	path: string;
	fields: [string, string][];
	photos: KeptPhoto[];
	keptAt: number;
}

const DB_NAME = 'perkje-kept-forms';
const STORE = 'forms';

function open(): Promise<IDBDatabase> {
	return new Promise((resolve, reject) => {
		const request = indexedDB.open(DB_NAME, 1);
		request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'key' });
		request.onsuccess = () => resolve(request.result);
		request.onerror = () => reject(request.error);
	});
}

async function run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
	const db = await open();
	try {
		return await new Promise<T>((resolve, reject) => {
			const tx = db.transaction(STORE, mode);
			const request = work(tx.objectStore(STORE));
			tx.oncomplete = () => resolve(request.result);
			tx.onerror = () => reject(tx.error);
			tx.onabort = () => reject(tx.error);
		});
	} finally {
		db.close();
	}
}

export function keepForm(form: KeptForm): Promise<unknown> {
	return run('readwrite', (store) => store.put(form));
}

export function forgetForm(key: string): Promise<unknown> {
	return run('readwrite', (store) => store.delete(key));
}

/** The newest form kept for this page, if any. */
export async function keptFormFor(path: string): Promise<KeptForm | null> {
	const all = (await run('readonly', (store) => store.getAll())) as KeptForm[];
	return all.filter((f) => f.path === path).sort((a, b) => b.keptAt - a.keptAt)[0] ?? null;
}

/**
 * Stand-in for the media room's face while it is built on its own branch: the functions the
 * care log calls, as the shared contract describes them. The media branch replaces this file.
 */
import { sql } from 'drizzle-orm';
import type { PhotoRefusal } from '#lib/domain/media.js';
import { queryRows, type Db, type Tx } from '#server/db';

export type IngestResult =
	| { ok: true; id: number; small: string; large: string; width: number; height: number }
	| { ok: false; refusal: PhotoRefusal };

export async function ingestPhoto(_db: Db, _input: { ownerUserId: string; bytes: Uint8Array }): Promise<IngestResult> {
	return { ok: false, refusal: 'unsupported-format' };
}

/** The owner's pending photos become attached; anything else refuses the whole set. */
export async function attachPhotos(tx: Tx, photoIds: number[], ownerUserId: string): Promise<{ ok: boolean }> {
	if (photoIds.length === 0) return { ok: true };
	const rows = await queryRows<{ id: number }>(
		tx,
		sql`update photos set status = 'attached' where id in (${sql.join(photoIds.map((id) => sql`${id}`), sql`, `)})
		    and owner_user_id = ${ownerUserId} and status = 'pending' returning id`
	);
	return { ok: rows.length === new Set(photoIds).size };
}

export function mediaUrl(hash: string): string {
	return `/media/${hash}`;
}

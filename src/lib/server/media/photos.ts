import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { PHOTO_PENDING_HOURS } from '#lib/domain/media.js';
import { queryRows, type Db, type Tx } from '#server/db';
import { startRepeating, type RepeatingJob } from '#server/jobs';
import { photos } from '#lib/server/db/schema.js';

/** The public address of a stored variant: its content hash, so it can be cached forever. */
export function mediaUrl(hash: string): string {
	return `/media/${hash}`;
}

/**
 * Takes the owner's pending photos into what is being saved (an entry, a report): all of
 * them or none. A photo of someone else, one already attached, or one the sweep deleted
 * makes it fail, and the caller's transaction should then roll back.
 */
export async function attachPhotos(tx: Db | Tx, photoIds: readonly number[], ownerUserId: string): Promise<{ ok: true } | { ok: false }> {
	const ids = [...new Set(photoIds)];
	if (ids.length === 0) return { ok: true };
	// Locked first, so two entries sent at once cannot both take a photo, and nothing is
	// marked unless every one qualifies.
	const takeable = await tx
		.select({ id: photos.id })
		.from(photos)
		.where(and(inArray(photos.id, ids), eq(photos.ownerUserId, ownerUserId), eq(photos.status, 'pending')))
		.for('update');
	if (takeable.length !== ids.length) return { ok: false };
	await tx.update(photos).set({ status: 'attached' }).where(inArray(photos.id, ids));
	return { ok: true };
}

/** A manager hides a photo: gone from public pages and /media at once; the reason is kept. */
export async function hidePhoto(tx: Db | Tx, photoId: number, hide: { by: string; reason: string | null }): Promise<boolean> {
	const hidden = await tx
		.update(photos)
		.set({ hiddenAt: sql`now()`, hiddenBy: hide.by, hiddenReason: hide.reason })
		.where(and(eq(photos.id, photoId), isNull(photos.hiddenAt)))
		.returning({ id: photos.id });
	return hidden.length > 0;
}

/** Shows a hidden photo again. */
export async function showPhoto(tx: Db | Tx, photoId: number): Promise<boolean> {
	const shown = await tx
		.update(photos)
		.set({ hiddenAt: null, hiddenBy: null, hiddenReason: null })
		.where(eq(photos.id, photoId))
		.returning({ id: photos.id });
	return shown.length > 0;
}

export interface StoredVariant {
	contentType: string;
	bytes: Buffer;
}

/**
 * Recently served variants, kept in this process: the bytes under a hash never change, so
 * only whether the photo is hidden must be asked each time, and that is a small indexed
 * query instead of a row of a few hundred kilobytes (which `pg` sends as hex text).
 */
const CACHE_MAX_BYTES = 32 * 1024 * 1024;
const cache = new Map<string, StoredVariant>();
let cachedBytes = 0;

function remember(hash: string, variant: StoredVariant): void {
	if (variant.bytes.length > CACHE_MAX_BYTES / 4 || cache.has(hash)) return;
	cache.set(hash, variant);
	cachedBytes += variant.bytes.length;
	// A Map iterates in insertion order: the first key is the least recently used.
	for (const [oldest, evicted] of cache) {
		if (cachedBytes <= CACHE_MAX_BYTES) break;
		cache.delete(oldest);
		cachedBytes -= evicted.bytes.length;
	}
}

/** Whether some photo that is not hidden has a variant with this hash. */
export async function variantVisible(db: Db, hash: string): Promise<boolean> {
	const rows = await queryRows<{ one: number }>(
		db,
		sql`select 1 as one from photo_variants v join photos p on p.id = v.photo_id
		    where v.hash = ${hash} and p.hidden_at is null limit 1`
	);
	return rows.length > 0;
}

/**
 * A variant's bytes by its hash, unless every photo with these bytes is hidden. Pending
 * photos are served: the person who uploaded one sees it in the form before sending, and
 * nobody else knows its hash.
 */
export async function readVariant(db: Db, hash: string): Promise<StoredVariant | null> {
	const hit = cache.get(hash);
	if (hit) {
		if (!(await variantVisible(db, hash))) return null;
		cache.delete(hash);
		cache.set(hash, hit);
		return hit;
	}
	const [row] = await queryRows<{ content_type: string; bytes: Uint8Array }>(
		db,
		sql`select v.content_type, v.bytes from photo_variants v join photos p on p.id = v.photo_id
		    where v.hash = ${hash} and p.hidden_at is null limit 1`
	);
	if (!row) return null;
	const bytes = Buffer.isBuffer(row.bytes) ? row.bytes : Buffer.from(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength);
	const variant = { contentType: row.content_type, bytes };
	remember(hash, variant);
	return variant;
}

/** Deletes photos uploaded but never attached within PHOTO_PENDING_HOURS (variants go with them). */
export async function deleteStalePendingPhotos(db: Db, hours = PHOTO_PENDING_HOURS): Promise<number> {
	const deleted = await queryRows<{ id: number }>(
		db,
		sql`delete from photos where status = 'pending' and created_at < now() - make_interval(hours => ${hours}) returning id`
	);
	return deleted.length;
}

/** Runs deleteStalePendingPhotos hourly in this process; stopped by shutdownApp(). */
export function startPendingPhotoSweep(db: Db, everyMs = 60 * 60_000): RepeatingJob {
	return startRepeating('pending photo sweep', everyMs, () => deleteStalePendingPhotos(db));
}

import { createHash } from 'node:crypto';
import type { Metadata, OutputInfo } from 'sharp';
import {
	PHOTO_MAX_BYTES,
	PHOTO_MAX_PIXELS,
	PHOTO_VARIANTS,
	type PhotoRefusal,
	type PhotoVariant
} from '#lib/domain/media.js';
import type { Db } from '#server/db';
import { photos, photoVariants } from '#lib/server/db/schema.js';
import { createQueue } from './queue';
import { sniff } from './sniff';

type Sharp = (typeof import('sharp'))['default'];
let loading: Promise<Sharp> | undefined;

/**
 * sharp (libvips) is loaded with the first photo, not at start: loading it takes 0.2–0.4 s
 * and 20 MB, which every start (startup.ts imports this room for its sweep) would pay.
 */
function loadSharp(): Promise<Sharp> {
	loading ??= import('sharp').then(({ default: sharp }) => {
		// Every upload is a different file: libvips' operation cache would only hold on to memory.
		sharp.cache(false);
		return sharp;
	});
	return loading;
}

/** Stored variants are WebP: every browser Perkje supports shows it, at about half a JPEG's size. */
export const VARIANT_CONTENT_TYPE = 'image/webp';
const WEBP = { quality: 80, effort: 4 } as const;

/**
 * Decoder settings for every upload: the pixel limit is checked from the header, before any
 * pixel is decoded (a 20000×20000 PNG of one colour is a few hundred kilobytes on disk and
 * 1.2 GB in memory); `failOn: 'error'` refuses a truncated or corrupt file instead of
 * storing it with a grey lower half.
 */
const DECODE = { limitInputPixels: PHOTO_MAX_PIXELS, failOn: 'error' } as const;

/**
 * One decode at a time per process (see ./queue.ts). Two at once finish a burst of eight
 * uploads sooner on an idle two-core machine, but libvips' working memory and what glibc
 * keeps of it then put the process past 400 MB (bench:media: 402–409 MB against 369 MB);
 * a resident's three or four photos wait a second or two longer instead.
 */
const decodeQueue = createQueue(1);

export interface Variant {
	variant: PhotoVariant;
	hash: string;
	contentType: string;
	width: number;
	height: number;
	bytes: Buffer;
}

export type Processed = { ok: true; variants: Record<PhotoVariant, Variant> } | { ok: false; reason: PhotoRefusal };

function refusalOf(e: unknown, heic: boolean): PhotoRefusal {
	const message = e instanceof Error ? e.message : String(e);
	if (/pixel limit/i.test(message)) return 'too-many-pixels';
	return heic ? 'heic-unsupported' : 'damaged';
}

async function animatedGif(sharp: Sharp, bytes: Buffer): Promise<boolean> {
	try {
		const meta = await sharp(bytes, { ...DECODE, pages: -1 }).metadata();
		return (meta.pages ?? 1) > 1;
	} catch {
		return false;
	}
}

function encoded(variant: PhotoVariant, output: { data: Buffer; info: OutputInfo }): Variant {
	return {
		variant,
		hash: createHash('sha256').update(output.data).digest('hex'),
		contentType: VARIANT_CONTENT_TYPE,
		width: output.info.width,
		height: output.info.height,
		bytes: output.data
	};
}

/**
 * Checks an upload and makes its variants; nothing is stored here. The type comes from the
 * bytes (./sniff.ts, then sharp's own reading of the header), never from a name.
 *
 * The photo is decoded once, turned upright (EXIF orientation), converted to sRGB and scaled
 * to the large size as bare pixels; both variants are encoded from those pixels. Bare pixels
 * carry nothing but pixels, so no EXIF (camera, GPS position, time), XMP, IPTC or ICC profile
 * of the upload can reach a stored variant, whatever sharp's defaults are.
 */
export async function processPhoto(input: Uint8Array): Promise<Processed> {
	const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
	if (bytes.length === 0) return { ok: false, reason: 'empty' };
	if (bytes.length > PHOTO_MAX_BYTES) return { ok: false, reason: 'too-large' };
	const kind = sniff(bytes);
	if (kind.kind === 'unknown') return { ok: false, reason: 'not-an-image' };
	const sharp = await loadSharp();
	if (kind.kind === 'image') {
		if (kind.format === 'gif' && (await animatedGif(sharp, bytes))) return { ok: false, reason: 'animated' };
		return { ok: false, reason: 'unsupported-format' };
	}
	// sharp's prebuilt binaries read AVIF but not HEIC (HEVC, for patent reasons); a libvips
	// built with libde265 does. So a HEIC photo is tried, and a failure says why.
	const heic = kind.heic;
	let meta: Metadata;
	try {
		meta = await sharp(bytes, DECODE).metadata();
	} catch (e) {
		return { ok: false, reason: refusalOf(e, heic) };
	}
	// The header said one format and the decoder reads another: not a photo anyone took.
	if (meta.format !== kind.format) return { ok: false, reason: heic ? 'heic-unsupported' : 'damaged' };
	if (!meta.width || !meta.height) return { ok: false, reason: 'damaged' };
	if (meta.width * meta.height > PHOTO_MAX_PIXELS) return { ok: false, reason: 'too-many-pixels' };
	// HEIF files hold several images (thumbnails, a burst) by design; elsewhere pages are frames.
	if (kind.format !== 'heif' && (meta.pages ?? 1) > 1) return { ok: false, reason: 'animated' };

	return decodeQueue(async () => {
		try {
			const large = PHOTO_VARIANTS.large;
			const pixels = await sharp(bytes, DECODE)
				.rotate()
				.resize({ width: large, height: large, fit: 'inside', withoutEnlargement: true })
				.toColourspace('srgb')
				.raw()
				.toBuffer({ resolveWithObject: true });
			const raw = { raw: { width: pixels.info.width, height: pixels.info.height, channels: pixels.info.channels } };
			const small = PHOTO_VARIANTS.small;
			const [largeOut, smallOut] = await Promise.all([
				sharp(pixels.data, raw).webp(WEBP).toBuffer({ resolveWithObject: true }),
				sharp(pixels.data, raw)
					.resize({ width: small, height: small, fit: 'inside', withoutEnlargement: true })
					.webp(WEBP)
					.toBuffer({ resolveWithObject: true })
			]);
			return { ok: true, variants: { large: encoded('large', largeOut), small: encoded('small', smallOut) } } as const;
		} catch (e) {
			return { ok: false, reason: refusalOf(e, heic) } as const;
		}
	});
}

export interface IngestedPhoto {
	id: number;
	width: number;
	height: number;
	variants: Record<PhotoVariant, { hash: string; width: number; height: number }>;
}

export type IngestResult = { ok: true; photo: IngestedPhoto } | { ok: false; reason: PhotoRefusal };

/**
 * An upload in, its variants stored (a pending photo, until an entry or report takes it);
 * the upload itself is never stored. The photo's size is its large variant's.
 */
export async function ingestPhoto(db: Db, input: { ownerUserId: string; bytes: Uint8Array }): Promise<IngestResult> {
	const processed = await processPhoto(input.bytes);
	if (!processed.ok) return processed;
	const { large, small } = processed.variants;
	const id = await db.transaction(async (tx) => {
		const [photo] = await tx
			.insert(photos)
			.values({ ownerUserId: input.ownerUserId, status: 'pending', width: large.width, height: large.height })
			.returning({ id: photos.id });
		await tx.insert(photoVariants).values(
			[large, small].map((v) => ({
				photoId: photo.id,
				variant: v.variant,
				hash: v.hash,
				contentType: v.contentType,
				width: v.width,
				height: v.height,
				byteSize: v.bytes.length,
				bytes: v.bytes
			}))
		);
		return photo.id;
	});
	const brief = (v: Variant) => ({ hash: v.hash, width: v.width, height: v.height });
	return { ok: true, photo: { id, width: large.width, height: large.height, variants: { large: brief(large), small: brief(small) } } };
}

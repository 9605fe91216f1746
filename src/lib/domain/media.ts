/**
 * Photos as pure rules: what comes in, what is kept. The media room (src/lib/server/media)
 * decodes with sharp and stores only the variants below, never the upload itself.
 */

/** Formats accepted, decided from the bytes (sharp's own detection), never from a name or header. */
export const PHOTO_INPUT_FORMATS = ['jpeg', 'png', 'webp', 'heif'] as const;
export type PhotoInputFormat = (typeof PHOTO_INPUT_FORMATS)[number];

export const PHOTO_MAX_BYTES = 15 * 1024 * 1024;
export const PHOTO_MAX_PIXELS = 50_000_000;

/** What is stored per photo: longest side in pixels. */
export const PHOTO_VARIANTS = { large: 1600, small: 400 } as const;
export type PhotoVariant = keyof typeof PHOTO_VARIANTS;

/**
 * A photo is uploaded before the entry (or report) it belongs to is sent, so the person sees
 * progress and refusals first; until it is attached it is `pending`, and a pending photo
 * older than a day is deleted.
 */
export const PHOTO_STATUSES = ['pending', 'attached'] as const;
export type PhotoStatus = (typeof PHOTO_STATUSES)[number];
export const PHOTO_PENDING_HOURS = 24;

/** Why a photo is refused; each has its own message (photo_refused_<reason>). */
export const PHOTO_REFUSALS = [
	'empty',
	'too-large',
	'not-an-image',
	'unsupported-format',
	'heic-unsupported',
	'too-many-pixels',
	'animated',
	'damaged'
] as const;
export type PhotoRefusal = (typeof PHOTO_REFUSALS)[number];

import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { PHOTO_REFUSALS, type PhotoRefusal } from '#lib/domain/media.js';
import { getDb, queryRows } from '#server/db';
import {
	attachPhotos,
	deleteStalePendingPhotos,
	hidePhoto,
	ingestPhoto,
	mediaUrl,
	photoRefusalMessage,
	readVariant,
	showPhoto
} from '#server/media';

/**
 * Photos in, against the real database and the real sharp: every bad upload of the corpus is
 * refused with its own message and leaves nothing behind; a good one is stored as two WebP
 * variants that carry no metadata of the upload, turned upright.
 */
const db = () => getDb();
let owner = '';
let other = '';

async function count(): Promise<{ photos: number; variants: number }> {
	const [row] = await queryRows<{ photos: number; variants: number }>(
		db(),
		sql`select (select count(*)::int from photos) as photos, (select count(*)::int from photo_variants) as variants`
	);
	return row;
}

async function user(email: string): Promise<string> {
	const id = `u-${email}`;
	await db().execute(sql`insert into users (id, email, email_verified) values (${id}, ${email}, true)`);
	return id;
}

const solid = (width: number, height: number, background = '#3a7d44') =>
	sharp({ create: { width, height, channels: 3, background }, limitInputPixels: false });

/** A JPEG with noise, so it is a photo-like size and truncating it cuts into scan data. */
async function noisyJpeg(width: number, height: number): Promise<Buffer> {
	return sharp({ create: { width, height, channels: 3, background: '#888', noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
		.jpeg({ quality: 90 })
		.toBuffer();
}

/** An APP13 (Photoshop/IPTC) segment, which sharp cannot write: a by-line "Anna de Vries". */
function withIptc(jpeg: Buffer): Buffer {
	const byline = Buffer.from('Anna de Vries');
	const iptc = Buffer.concat([Buffer.from([0x1c, 0x02, 0x50, 0x00, byline.length]), byline]);
	const resource = Buffer.concat([
		Buffer.from('8BIM'),
		Buffer.from([0x04, 0x04, 0x00, 0x00]),
		Buffer.from([0, 0, 0, iptc.length]),
		iptc,
		Buffer.alloc(iptc.length % 2)
	]);
	const payload = Buffer.concat([Buffer.from('Photoshop 3.0\0'), resource]);
	const segment = Buffer.concat([Buffer.from([0xff, 0xed, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]), payload]);
	return Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)]);
}

const XMP =
	'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
	'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">' +
	'<dc:creator>Anna de Vries</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>';

/** A camera photo as a phone makes it: EXIF with GPS, XMP, IPTC, a Display P3 profile, taken sideways. */
async function cameraJpeg(): Promise<Buffer> {
	const jpeg = await solid(600, 400)
		.withExif({
			IFD0: { Make: 'PerkjeCam', Model: 'Model 1', Copyright: 'Anna de Vries' },
			IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '52/1 0/1 4/1', GPSLongitudeRef: 'E', GPSLongitude: '4/1 21/1 30/1' }
		})
		.withMetadata({ orientation: 6 })
		.withIccProfile('p3')
		.withXmp(XMP)
		.jpeg({ quality: 90 })
		.toBuffer();
	return withIptc(jpeg);
}

/** Where the EXIF of a JPEG holds a GPS IFD (tag 0x8825 in IFD0), little-endian as sharp writes it. */
function hasGpsIfd(exif: Buffer): boolean {
	const tiff = exif.indexOf('Exif\0\0') === 0 ? exif.subarray(6) : exif;
	const little = tiff.toString('latin1', 0, 2) === 'II';
	const u16 = (at: number) => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
	const u32 = (at: number) => (little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
	const ifd0 = u32(4);
	const entries = u16(ifd0);
	for (let i = 0; i < entries; i++) if (u16(ifd0 + 2 + i * 12) === 0x8825) return true;
	return false;
}

async function storedVariants(photoId: number) {
	return queryRows<{ variant: string; hash: string; content_type: string; width: number; height: number; byte_size: number; bytes: Uint8Array }>(
		db(),
		sql`select variant, hash, content_type, width, height, byte_size, bytes from photo_variants where photo_id = ${photoId} order by variant`
	);
}

beforeAll(async () => {
	owner = await user('anna@voorbeeld.nl');
	other = await user('bram@voorbeeld.nl');
});

describe('the bad-upload corpus', () => {
	const corpus: Array<[string, () => Promise<Uint8Array>, PhotoRefusal]> = [
		['zero bytes', async () => new Uint8Array(0), 'empty'],
		['20 MB', async () => Buffer.concat([await noisyJpeg(64, 64), Buffer.alloc(20 * 1024 * 1024)]), 'too-large'],
		['a PDF named photo.jpg', async () => Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n'), 'not-an-image'],
		['a Windows executable named photo.jpg', async () => Buffer.concat([Buffer.from('MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0', 'latin1'), Buffer.alloc(512)]), 'not-an-image'],
		['an ELF executable', async () => Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01', 'latin1'), Buffer.alloc(512)]), 'not-an-image'],
		[
			'an SVG with a script',
			async () => Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"><script>alert(document.cookie)</script><rect width="400" height="300"/></svg>'),
			'unsupported-format'
		],
		['a still GIF', async () => solid(40, 40).gif().toBuffer(), 'unsupported-format'],
		['a TIFF', async () => solid(40, 40).tiff().toBuffer(), 'unsupported-format'],
		[
			'a truncated JPEG',
			async () => {
				const jpeg = await noisyJpeg(800, 600);
				return jpeg.subarray(0, Math.floor(jpeg.length * 0.6));
			},
			'damaged'
		],
		[
			'a truncated PNG',
			async () => {
				const png = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#888', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).png().toBuffer();
				return png.subarray(0, Math.floor(png.length * 0.5));
			},
			'damaged'
		],
		[
			'a decompression bomb: a 20000×20000 PNG of one colour',
			async () => solid(20000, 20000, '#ffffff').png({ compressionLevel: 9 }).toBuffer(),
			'too-many-pixels'
		],
		[
			'an animated GIF',
			async () => {
				const frames = await Promise.all(['#f00', '#0f0', '#00f'].map((c) => solid(60, 60, c).png().toBuffer()));
				return sharp(frames, { join: { animated: true } }).gif({ delay: 200 }).toBuffer();
			},
			'animated'
		],
		[
			'an animated WebP',
			async () => {
				const frames = await Promise.all(['#f00', '#00f'].map((c) => solid(60, 60, c).png().toBuffer()));
				return sharp(frames, { join: { animated: true } }).webp().toBuffer();
			},
			'animated'
		],
		[
			'a HEIC photo (HEVC), which this sharp build cannot decode',
			// An ISO-BMFF ftyp box with the iPhone's brands, then nothing a decoder could use.
			async () => Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic'), Buffer.alloc(256)]),
			'heic-unsupported'
		]
	];

	for (const [name, make, reason] of corpus) {
		it(`refuses ${name} (${reason}) and stores nothing`, async () => {
			const bytes = await make();
			const before = await count();
			const result = await ingestPhoto(db(), { ownerUserId: owner, bytes });
			expect(result).toEqual({ ok: false, reason });
			expect(await count()).toEqual(before);
		});
	}

	it('the bomb is small on disk and refused from its header, without decoding', async () => {
		const bomb = await solid(20000, 20000, '#ffffff').png({ compressionLevel: 9 }).toBuffer();
		expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
		const started = performance.now();
		expect(await ingestPhoto(db(), { ownerUserId: owner, bytes: bomb })).toEqual({ ok: false, reason: 'too-many-pixels' });
		expect(performance.now() - started).toBeLessThan(1000);
	});

	it('every refusal has its own message, in Dutch (the default language), naming what works', () => {
		const messages = PHOTO_REFUSALS.map((reason) => photoRefusalMessage(reason));
		expect(new Set(messages).size).toBe(PHOTO_REFUSALS.length);
		expect(photoRefusalMessage('not-an-image')).toBe('Dit bestand is geen foto. Kies een foto in JPEG, PNG of WebP.');
		expect(photoRefusalMessage('heic-unsupported')).toContain('JPEG, PNG of WebP');
		expect(photoRefusalMessage('too-large')).toContain('15 MB');
	});
});

describe('a good photo', () => {
	it('is stored as two WebP variants without any metadata of the upload, turned upright', async () => {
		const upload = await cameraJpeg();
		// The fixture really carries what must go: EXIF with a GPS IFD, XMP, IPTC, a profile, orientation 6.
		const input = await sharp(upload).metadata();
		expect(input.orientation).toBe(6);
		expect(hasGpsIfd(input.exif!)).toBe(true);
		expect(input.xmp).toBeDefined();
		expect(input.iptc).toBeDefined();
		expect(input.icc).toBeDefined();
		expect(upload.includes('Exif\0\0')).toBe(true);
		expect(upload.includes('http://ns.adobe.com/xap')).toBe(true);

		const before = await count();
		const result = await ingestPhoto(db(), { ownerUserId: owner, bytes: upload });
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(await count()).toEqual({ photos: before.photos + 1, variants: before.variants + 2 });
		// 600×400 taken sideways is 400×600 upright; never enlarged.
		expect(result.photo).toMatchObject({ width: 400, height: 600 });

		const [photo] = await queryRows<{ status: string; owner_user_id: string }>(db(), sql`select status, owner_user_id from photos where id = ${result.photo.id}`);
		expect(photo).toEqual({ status: 'pending', owner_user_id: owner });

		const stored = await storedVariants(result.photo.id);
		expect(stored.map((v) => [v.variant, v.width, v.height])).toEqual([
			['large', 400, 600],
			['small', 267, 400]
		]);
		for (const v of stored) {
			const bytes = Buffer.from(v.bytes);
			expect(v.content_type).toBe('image/webp');
			expect(v.byte_size).toBe(bytes.length);
			const meta = await sharp(bytes).metadata();
			expect(meta.format).toBe('webp');
			expect([meta.width, meta.height]).toEqual([v.width, v.height]);
			expect(meta.exif).toBeUndefined();
			expect(meta.xmp).toBeUndefined();
			expect(meta.iptc).toBeUndefined();
			expect(meta.icc).toBeUndefined();
			expect(meta.orientation).toBeUndefined();
			for (const marker of ['Exif\0\0', 'http://ns.adobe.com/xap', 'GPS', 'PerkjeCam', 'Anna de Vries', 'Photoshop', 'ICCP', 'EXIF', 'XMP ']) {
				expect(bytes.includes(marker), marker).toBe(false);
			}
			// The hash is of the stored bytes, and is the URL.
			const { createHash } = await import('node:crypto');
			expect(v.hash).toBe(createHash('sha256').update(bytes).digest('hex'));
			expect((await readVariant(db(), v.hash))?.bytes.equals(bytes)).toBe(true);
		}
		expect(mediaUrl(result.photo.variants.small.hash)).toBe(`/media/${stored[1].hash}`);
	});

	it('a large photo becomes 1600 and 400 on its longest side; PNG and WebP are taken too', async () => {
		const jpeg = await ingestPhoto(db(), { ownerUserId: owner, bytes: await noisyJpeg(4000, 3000) });
		expect(jpeg.ok && jpeg.photo.variants).toMatchObject({ large: { width: 1600, height: 1200 }, small: { width: 400, height: 300 } });
		const png = await ingestPhoto(db(), { ownerUserId: owner, bytes: await solid(1000, 3000).png().toBuffer() });
		expect(png.ok && png.photo.variants).toMatchObject({ large: { width: 533, height: 1600 }, small: { width: 133, height: 400 } });
		const webp = await ingestPhoto(db(), { ownerUserId: owner, bytes: await solid(300, 200).webp().toBuffer() });
		expect(webp.ok && webp.photo.variants).toMatchObject({ large: { width: 300, height: 200 }, small: { width: 300, height: 200 } });
	});
});

describe('attaching, hiding and the sweep', () => {
	async function pending(ownerUserId: string): Promise<number> {
		const result = await ingestPhoto(db(), { ownerUserId, bytes: await solid(50, 50).jpeg().toBuffer() });
		if (!result.ok) throw new Error(result.reason);
		return result.photo.id;
	}
	const statusOf = async (id: number) =>
		(await queryRows<{ status: string }>(db(), sql`select status from photos where id = ${id}`))[0]?.status;

	it("attaches only the owner's own pending photos, all or none", async () => {
		const mine = [await pending(owner), await pending(owner)];
		const theirs = await pending(other);
		expect(await attachPhotos(db(), [mine[0], theirs], owner)).toEqual({ ok: false });
		expect(await attachPhotos(db(), [mine[0], 99999999], owner)).toEqual({ ok: false });
		expect(await attachPhotos(db(), mine, owner)).toEqual({ ok: true });
		expect(await statusOf(mine[0])).toBe('attached');
		// Once attached, it cannot be attached again (to a second entry).
		expect(await attachPhotos(db(), [mine[0]], owner)).toEqual({ ok: false });
		expect(await attachPhotos(db(), [], owner)).toEqual({ ok: true });
	});

	it('a hidden photo is not served; shown again, it is', async () => {
		const result = await ingestPhoto(db(), { ownerUserId: owner, bytes: await solid(70, 50, '#123456').jpeg().toBuffer() });
		if (!result.ok) throw new Error(result.reason);
		const hash = result.photo.variants.large.hash;
		expect(await readVariant(db(), hash)).not.toBeNull();
		expect(await hidePhoto(db(), result.photo.id, { by: other, reason: 'Er staat een gezicht op.' })).toBe(true);
		expect(await readVariant(db(), hash)).toBeNull();
		const [row] = await queryRows<{ hidden_reason: string; hidden_by: string }>(db(), sql`select hidden_reason, hidden_by from photos where id = ${result.photo.id}`);
		expect(row).toEqual({ hidden_reason: 'Er staat een gezicht op.', hidden_by: other });
		expect(await showPhoto(db(), result.photo.id)).toBe(true);
		expect(await readVariant(db(), hash)).not.toBeNull();
		expect(await readVariant(db(), 'f'.repeat(64))).toBeNull();
	});

	it('deletes pending photos older than a day, with their variants; attached ones stay', async () => {
		const old = await pending(owner);
		const oldAttached = await pending(owner);
		const fresh = await pending(owner);
		await attachPhotos(db(), [oldAttached], owner);
		await db().execute(sql`update photos set created_at = now() - interval '25 hours' where id in (${old}, ${oldAttached})`);
		expect(await deleteStalePendingPhotos(db())).toBeGreaterThanOrEqual(1);
		expect(await statusOf(old)).toBeUndefined();
		expect(await statusOf(oldAttached)).toBe('attached');
		expect(await statusOf(fresh)).toBe('pending');
		const [left] = await queryRows<{ n: number }>(db(), sql`select count(*)::int as n from photo_variants where photo_id = ${old}`);
		expect(left.n).toBe(0);
	});
});

/**
 * What a file is, read from its first bytes: the name and the Content-Type the browser sent
 * are the uploader's to choose, its bytes are not. Only files that start like one of the
 * accepted formats ever reach the decoder, so an SVG (which can carry scripts and external
 * references) or a PDF is refused before libvips parses a byte of it.
 */
export type Sniffed =
	| { kind: 'accepted'; format: 'jpeg' | 'png' | 'webp' | 'heif'; heic: boolean }
	/** A known image format Perkje does not take: GIF (moving or not), SVG, TIFF, BMP, ICO, JPEG XL. */
	| { kind: 'image'; format: 'gif' | 'svg' | 'tiff' | 'bmp' | 'ico' | 'jxl' }
	| { kind: 'unknown' };

const ascii = (bytes: Uint8Array, from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));

/** ISO base media brands of HEIF stills: HEVC-coded (HEIC) and AV1-coded (AVIF). */
const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1']);
const AVIF_BRANDS = new Set(['avif', 'avis']);

function heifBrand(bytes: Uint8Array): { heic: boolean } | null {
	if (bytes.length < 16 || ascii(bytes, 4, 8) !== 'ftyp') return null;
	const boxSize = Math.min(((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0, bytes.length, 256);
	const brands = [ascii(bytes, 8, 12)];
	for (let at = 16; at + 4 <= boxSize; at += 4) brands.push(ascii(bytes, at, at + 4));
	if (brands.some((b) => AVIF_BRANDS.has(b))) return { heic: false };
	if (brands.some((b) => HEIC_BRANDS.has(b))) return { heic: true };
	return null;
}

export function sniff(bytes: Uint8Array): Sniffed {
	const b = bytes;
	if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return { kind: 'accepted', format: 'jpeg', heic: false };
	if (b.length >= 8 && ascii(b, 0, 8) === '\x89PNG\r\n\x1a\n') return { kind: 'accepted', format: 'png', heic: false };
	if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return { kind: 'accepted', format: 'webp', heic: false };
	const heif = heifBrand(b);
	if (heif) return { kind: 'accepted', format: 'heif', heic: heif.heic };
	if (b.length >= 6 && /^GIF8[79]a$/.test(ascii(b, 0, 6))) return { kind: 'image', format: 'gif' };
	if (b.length >= 4 && (ascii(b, 0, 4) === 'II*\0' || ascii(b, 0, 4) === 'MM\0*')) return { kind: 'image', format: 'tiff' };
	if (b.length >= 2 && ascii(b, 0, 2) === 'BM') return { kind: 'image', format: 'bmp' };
	if (b.length >= 4 && b[0] === 0 && b[1] === 0 && b[2] === 1 && b[3] === 0) return { kind: 'image', format: 'ico' };
	if ((b.length >= 2 && b[0] === 0xff && b[1] === 0x0a) || (b.length >= 12 && ascii(b, 4, 8) === 'JXL ')) return { kind: 'image', format: 'jxl' };
	// SVG is text: skip a byte-order mark and white space, then an XML prolog or <svg.
	const head = new TextDecoder('utf-8', { fatal: false }).decode(b.subarray(0, 1024)).replace(/^\uFEFF/, '').trimStart().toLowerCase();
	if (head.startsWith('<') && head.includes('<svg')) return { kind: 'image', format: 'svg' };
	return { kind: 'unknown' };
}

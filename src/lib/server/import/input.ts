import fs from 'node:fs';
import path from 'node:path';
import { chain, none } from 'stream-chain';
import { parser } from 'stream-json';
import type { Token } from 'stream-json/core/parser.js';
import Assembler from 'stream-json/assembler.js';
import { pick } from 'stream-json/filters/pick.js';
import { streamArray } from 'stream-json/streamers/stream-array.js';
import { z } from 'zod';

/** A file the importer refuses, with a message meant for the operator (no stack trace). */
export class ImportError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ImportError';
	}
}

/**
 * A path to read, or JSON already in memory (an upload, a test) with a name for messages.
 * A file larger than `streamAboveBytes` (default STREAM_ABOVE_BYTES) is streamed.
 */
export type ImportInput = { file: string; streamAboveBytes?: number } | { name: string; json: unknown };

/**
 * Files up to this size are read whole, which is the faster way; larger ones are streamed
 * (readStreamed), as a file above about 512 MB does not fit in one JavaScript string at all
 * ("Cannot create a string longer than 0x1fffffe8 characters"): a municipality's full BGT
 * export can be that large.
 */
export const STREAM_ABOVE_BYTES = 256 * 1024 * 1024;

const FeatureCollectionSchema = z.looseObject({
	type: z.literal('FeatureCollection'),
	name: z.string().optional(),
	crs: z.unknown().optional(),
	synthetic: z.unknown().optional(),
	features: z.array(z.unknown())
});

const FeatureSchema = z.looseObject({
	type: z.literal('Feature'),
	id: z.union([z.string(), z.number()]).optional(),
	properties: z.record(z.string(), z.unknown()).nullable().optional(),
	geometry: z.unknown()
});

export type Feature = z.infer<typeof FeatureSchema>;

const CrsMemberSchema = z.object({
	type: z.literal('name'),
	properties: z.object({ name: z.string() })
});

export interface ImportDocument {
	/** The file's path or the given name, for messages and import_runs. */
	source: string;
	/** Base name without extension: the default dataset name after the collection's own name. */
	baseName: string;
	/** The collection's `name` member, if any. */
	name: string | undefined;
	/** The CRS named by the old-style `crs` member, if any. */
	crsName: string | undefined;
	/** Marked as generated benchmark data (`"synthetic": true`). */
	synthetic: boolean;
	features: FeatureSource;
}

/** The elements of the collection's "features" array, each read once, in file order. */
export interface FeatureSource {
	count: number;
	/**
	 * Each element once. Read from a file, nothing else holds them, so each is let go of as
	 * soon as it has been handed out (for a 300,000-plot file that is hundreds of MB not held
	 * twice); a streamed file is read again from disk, one feature at a time.
	 */
	values(): Iterable<unknown> | AsyncIterable<unknown>;
}

function baseNameOf(source: string): string {
	return path.basename(source).replace(/\.(geo)?json$/i, '') || source;
}

/** Reads and checks the envelope of a GeoJSON FeatureCollection; the features come later. */
export async function readImportDocument(input: ImportInput): Promise<ImportDocument> {
	if (!('file' in input)) {
		const { json, name } = input;
		const features = featuresOf(json);
		return checkEnvelope(name, json, { count: features?.length ?? 0, values: () => features ?? [] });
	}
	const source = input.file;
	const unreadable = (e: unknown) => {
		const err = e as NodeJS.ErrnoException;
		return new ImportError(err.code === 'ENOENT' ? `${source}: no such file.` : `${source} cannot be read: ${err.message}`);
	};
	let size: number;
	try {
		size = fs.statSync(source).size;
	} catch (e) {
		throw unreadable(e);
	}
	if (size > (input.streamAboveBytes ?? STREAM_ABOVE_BYTES)) return readStreamed(source, unreadable);
	let text: string;
	try {
		text = fs.readFileSync(source, 'utf8');
	} catch (e) {
		throw unreadable(e);
	}
	// Excel, Notepad and some GIS tools write a UTF-8 byte order mark; it is no content.
	if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
	let json: unknown;
	try {
		json = parseFeatureCollectionText(text);
	} catch (e) {
		throw new ImportError(`${source} is not a JSON file (${(e as Error).message}).`);
	}
	const features = featuresOf(json);
	return checkEnvelope(source, json, {
		count: features?.length ?? 0,
		*values() {
			if (!features) return;
			for (let i = 0; i < features.length; i++) {
				const value = features[i];
				features[i] = null;
				yield value;
			}
		}
	});
}

function featuresOf(json: unknown): unknown[] | undefined {
	const features = (json as { features?: unknown } | null)?.features;
	return Array.isArray(features) ? features : undefined;
}

/** The checks of the collection itself, whichever way it was read. */
function checkEnvelope(source: string, json: unknown, features: FeatureSource): ImportDocument {
	if (json === null || typeof json !== 'object' || Array.isArray(json)) {
		throw new ImportError(`${source} is not GeoJSON: expected a FeatureCollection object.`);
	}
	const type = (json as { type?: unknown }).type;
	if (type === 'Feature' || (typeof type === 'string' && type !== 'FeatureCollection')) {
		throw new ImportError(
			`${source} is a GeoJSON ${String(type)}, not a FeatureCollection: wrap it in ` +
				`{"type": "FeatureCollection", "features": [...]}.`
		);
	}
	const parsed = FeatureCollectionSchema.safeParse(json);
	if (!parsed.success) {
		throw new ImportError(
			`${source} is not GeoJSON: expected {"type": "FeatureCollection", "features": [...]}.`
		);
	}
	const collection = parsed.data;
	if (features.count === 0) {
		throw new ImportError(`${source} contains no features: nothing to import.`);
	}
	let crsName: string | undefined;
	if (collection.crs !== undefined && collection.crs !== null) {
		const crs = CrsMemberSchema.safeParse(collection.crs);
		if (!crs.success) {
			throw new ImportError(
				`${source} has a "crs" member Perkje cannot read; expected ` +
					`{"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}. ` +
					`Remove it or name the CRS with --crs.`
			);
		}
		crsName = crs.data.properties.name;
	}
	return {
		source,
		baseName: baseNameOf(source),
		name: (typeof collection.name === 'string' ? cleanText(collection.name) : null) ?? undefined,
		crsName,
		synthetic: collection.synthetic === true,
		features
	};
}

/** The members of a collection besides its features that the importer reads. */
const ENVELOPE_MEMBERS = new Set(['type', 'name', 'crs', 'synthetic']);

/**
 * A large file in two streamed passes, never more than a chunk of its text and one feature
 * in memory: the first reads the collection's members and counts its features without
 * building them (so the envelope is checked, and a syntax error anywhere reported, before
 * any feature is), the second hands out the features one at a time (FeatureSource.values).
 */
async function readStreamed(source: string, unreadable: (e: unknown) => ImportError): Promise<ImportDocument> {
	let envelope: { json: unknown; count: number };
	try {
		envelope = await readEnvelope(source);
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code) throw unreadable(e);
		throw new ImportError(`${source} is not a JSON file (${(e as Error).message}).`);
	}
	return checkEnvelope(source, envelope.json, {
		count: envelope.count,
		async *values() {
			const features = chain([fs.createReadStream(source), parser(), pick({ filter: 'features', once: true }), streamArray()]);
			for await (const item of features) yield (item as { value: unknown }).value;
		}
	});
}

/**
 * The first pass: the top-level value's envelope members (assembled, they are small), and
 * how many elements its "features" array has. `json` is what checkEnvelope expects: a
 * stand-in when the top level is not an object, and `features: []` when it is an array (the
 * elements are counted, not kept).
 */
function readEnvelope(file: string): Promise<{ json: unknown; count: number }> {
	const members: Record<string, unknown> = {};
	let count = 0;
	let topLevel: 'object' | 'other' | undefined;
	let depth = 0;
	let key: string | null = null;
	/** Assembling a member's value, or counting the features (the depth they are at). */
	let assembling: Assembler | undefined;
	let inFeatures = false;
	const consume = (token: Token) => {
		if (assembling) {
			const done = assembling.tapChain(token);
			if (done !== none) {
				members[key!] = done;
				assembling = undefined;
			}
			return none;
		}
		const opens = token.name === 'startObject' || token.name === 'startArray';
		const closes = token.name === 'endObject' || token.name === 'endArray';
		const value = opens || token.name.endsWith('Value');
		if (depth === 0 && value) topLevel ??= token.name === 'startObject' ? 'object' : 'other';
		if (depth === 1 && topLevel === 'object' && token.name === 'keyValue') {
			key = token.value;
			return none;
		}
		if (depth === 1 && topLevel === 'object' && value && key !== null) {
			if (key === 'features' && token.name === 'startArray') {
				inFeatures = true;
				members.features = [];
			} else if (key === 'features' || ENVELOPE_MEMBERS.has(key)) {
				assembling = new Assembler();
				const done = assembling.tapChain(token);
				if (done !== none) {
					members[key] = done;
					assembling = undefined;
				}
				return none;
			}
		} else if (depth === 2 && inFeatures && value && token.name !== 'keyValue') count++;
		if (opens) depth++;
		if (closes) {
			depth--;
			if (depth === 1) inFeatures = false;
		}
		return none;
	};
	return new Promise((resolve, reject) => {
		const pipeline = chain([fs.createReadStream(file), parser({ streamValues: false }), consume]);
		pipeline.on('error', reject);
		pipeline.on('end', () => resolve({ json: topLevel === 'object' ? members : [], count }));
		pipeline.resume();
	});
}

/** One element of a file's "features" array, as text: parsed only when its turn comes. */
export class FeatureText {
	constructor(readonly text: string) {}
}

/** The end (index of the closing quote) of the JSON string opening at `start`, or -1. */
function stringEnd(text: string, start: number): number {
	let i = start;
	for (;;) {
		i = text.indexOf('"', i + 1);
		if (i === -1) return -1;
		let backslashes = 0;
		while (text.charCodeAt(i - 1 - backslashes) === 92) backslashes++;
		if (backslashes % 2 === 0) return i;
	}
}

/** The index after the object or array opening at `start`, or -1. */
function valueEnd(text: string, start: number): number {
	let depth = 0;
	for (let i = start; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c === 34) {
			i = stringEnd(text, i);
			if (i === -1) return -1;
		} else if (c === 123 || c === 91) depth++;
		else if (c === 125 || c === 93) {
			depth--;
			if (depth === 0) return i + 1;
		}
	}
	return -1;
}

const WHITESPACE = new Set([32, 9, 10, 13]);

/**
 * A FeatureCollection's text as an object whose features are FeatureText, each parsed when
 * checked: JSON.parse of a whole 300,000-plot file holds every feature as objects at once
 * (about 1 GB), this holds the text and one feature. Anything not shaped like a collection
 * with an array of objects is left to JSON.parse, which also words the errors.
 */
export function parseFeatureCollectionText(text: string): unknown {
	let depth = 0;
	let key: string | null = null;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c === 34) {
			const end = stringEnd(text, i);
			if (end === -1) break;
			if (depth === 1) {
				let j = end + 1;
				while (WHITESPACE.has(text.charCodeAt(j))) j++;
				key = text.charCodeAt(j) === 58 ? text.slice(i + 1, end) : null;
			}
			i = end;
		} else if (c === 91 && depth === 1 && key === 'features') {
			const features: FeatureText[] = [];
			let j = i + 1;
			for (;;) {
				while (WHITESPACE.has(text.charCodeAt(j))) j++;
				if (text.charCodeAt(j) === 93) break;
				if (text.charCodeAt(j) !== 123) return JSON.parse(text);
				const end = valueEnd(text, j);
				if (end === -1) return JSON.parse(text);
				features.push(new FeatureText(text.slice(j, end)));
				j = end;
				while (WHITESPACE.has(text.charCodeAt(j))) j++;
				if (text.charCodeAt(j) === 44) j++;
				else if (text.charCodeAt(j) !== 93) return JSON.parse(text);
			}
			const envelope = JSON.parse(`${text.slice(0, i)}[]${text.slice(j + 1)}`) as { features: unknown[] };
			envelope.features = features;
			return envelope;
		} else if (c === 123 || c === 91) depth++;
		else if (c === 125 || c === 93) depth--;
	}
	return JSON.parse(text);
}

/** A feature's envelope, or why it is not one. */
export function readFeature(value: unknown): { ok: true; feature: Feature } | { ok: false; reason: string } {
	if (value instanceof FeatureText) {
		try {
			value = JSON.parse(value.text);
		} catch (e) {
			return { ok: false, reason: `not valid JSON (${(e as Error).message})` };
		}
	}
	const parsed = FeatureSchema.safeParse(value);
	if (parsed.success) return { ok: true, feature: parsed.data };
	return { ok: false, reason: 'not a GeoJSON Feature' };
}

/**
 * A property by one of several names, the first that is present; names match exactly
 * first, then ignoring case (BGT exports spell lokaalID, lokaalid or LOKAALID).
 */
export function pickProperty(
	properties: Record<string, unknown>,
	names: readonly string[]
): { key: string; value: unknown } | undefined {
	for (const name of names) {
		if (name in properties && properties[name] !== null && properties[name] !== undefined) {
			return { key: name, value: properties[name] };
		}
	}
	const lower = new Map(Object.keys(properties).map((k) => [k.toLowerCase(), k]));
	for (const name of names) {
		const key = lower.get(name.toLowerCase());
		if (key !== undefined && properties[key] !== null && properties[key] !== undefined) {
			return { key, value: properties[key] };
		}
	}
	return undefined;
}

/** The operator's field name if given, else the defaults. */
export function fieldNames(option: string | undefined, defaults: readonly string[]): readonly string[] {
	return option ? [option] : defaults;
}

/**
 * The property names of each mapped field: the operator's `<name>Field` option if given,
 * else the source's defaults.
 */
export function mappedFields<F extends Record<string, readonly string[]>>(
	options: Partial<Record<`${keyof F & string}Field`, string>>,
	defaults: F
): { [K in keyof F]: readonly string[] } {
	const given = options as Record<string, string | undefined>;
	return Object.fromEntries(
		Object.entries(defaults).map(([name, names]) => [name, fieldNames(given[`${name}Field`], names)])
	) as { [K in keyof F]: readonly string[] };
}

/** BGT's "no value" markers, stored as null rather than as a kind called waardeOnbekend. */
const UNKNOWN_VALUES = new Set(['waardeonbekend', 'geenwaarde', 'onbekend']);

/** A classifying property value (a BGT kind) as text, or null when missing or one of BGT's "no value" markers. */
export function kindValue(value: unknown): string | null {
	const text = textValue(value);
	return text === null || UNKNOWN_VALUES.has(text.toLowerCase()) ? null : text;
}

/**
 * Control characters PostgreSQL cannot store (NUL in text and jsonb) or that only garble
 * a label (the other C0 controls and DEL); tab, line feed and carriage return are text.
 */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
const ANY_CONTROL_CHARACTER = /[\u0000-\u001F\u007F]/;

/**
 * Free text as it may be stored: control characters removed and lone UTF-16 surrogates
 * (an escape like "\ud800" without its pair, which PostgreSQL's jsonb refuses) replaced.
 * One such character in one property must not abort a whole run.
 */
export function cleanText(text: string): string {
	return text.toWellFormed().replace(CONTROL_CHARACTERS, '');
}

/** Every string (and every member name) in a property value, cleaned as cleanText does. */
export function cleanDeep(value: unknown): unknown {
	if (typeof value === 'string') return cleanText(value);
	if (Array.isArray(value)) return value.map(cleanDeep);
	if (value !== null && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([k, v]) => [cleanText(k), cleanDeep(v)]));
	}
	return value;
}

/** Text as an operator can read it in a message: control characters and lone surrogates as \uXXXX. */
export function visibleText(text: string): string {
	return text.replace(/[\u0000-\u001F\u007F]|[\uD800-\uDFFF]/g, (c, offset: number, all: string) => {
		const code = c.charCodeAt(0);
		// A well-formed pair stays as it is.
		if (code >= 0xd800 && code <= 0xdbff && /[\uDC00-\uDFFF]/.test(all[offset + 1] ?? '')) return c;
		if (code >= 0xdc00 && code <= 0xdfff && /[\uD800-\uDBFF]/.test(all[offset - 1] ?? '')) return c;
		return `\\u${code.toString(16).padStart(4, '0')}`;
	});
}

/** A property value as free text (cleaned), or null when missing or empty. */
export function textValue(value: unknown): string | null {
	if (value === null || value === undefined) return null;
	const raw = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
	const text = cleanText(raw).trim();
	return text === '' ? null : text;
}

/**
 * A key (source id, code) read from a property or the feature id: a string or a number,
 * nothing else, and never with a control character (it is matched on at every re-import,
 * so silently changing it would make another plot of it). Null when missing or empty.
 */
export function keyValue(value: unknown, what: string): { key: string } | { reason: string } | null {
	if (value === null || value === undefined) return null;
	if (typeof value === 'number') {
		return Number.isFinite(value) ? { key: String(value) } : { reason: `the ${what} is not a finite number` };
	}
	if (typeof value !== 'string') {
		const type = Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
		return { reason: `the ${what} is ${type} (${visibleText(JSON.stringify(value)).slice(0, 80)}), not a string or number` };
	}
	const key = value.trim();
	if (key === '') return null;
	if (ANY_CONTROL_CHARACTER.test(key) || !key.isWellFormed()) {
		return { reason: `the ${what} "${visibleText(key)}" contains a control character or broken Unicode escape` };
	}
	return { key };
}

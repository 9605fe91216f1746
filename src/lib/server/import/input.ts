import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** A file the importer refuses, with a message meant for the operator (no stack trace). */
export class ImportError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ImportError';
	}
}

/** A path to read, or JSON already in memory (an upload, a test) with a name for messages. */
export type ImportInput = { file: string } | { name: string; json: unknown };

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
	features: unknown[];
	/**
	 * The features were parsed here from a file, so nothing else holds them: checking may
	 * let go of each one as soon as it has been turned into a row (for a 300,000-plot file
	 * that is hundreds of MB not held twice).
	 */
	ownsFeatures: boolean;
}

function baseNameOf(source: string): string {
	return path.basename(source).replace(/\.(geo)?json$/i, '') || source;
}

/** Reads and checks the envelope of a GeoJSON FeatureCollection; the features come later. */
export function readImportDocument(input: ImportInput): ImportDocument {
	let json: unknown;
	let source: string;
	if ('file' in input) {
		source = input.file;
		let text: string;
		try {
			text = fs.readFileSync(input.file, 'utf8');
		} catch (e) {
			const err = e as NodeJS.ErrnoException;
			throw new ImportError(
				err.code === 'ENOENT'
					? `${source}: no such file.`
					: `${source} cannot be read: ${err.message}`
			);
		}
		// Excel, Notepad and some GIS tools write a UTF-8 byte order mark; it is no content.
		if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
		try {
			json = parseFeatureCollectionText(text);
		} catch (e) {
			throw new ImportError(`${source} is not a JSON file (${(e as Error).message}).`);
		}
	} else {
		source = input.name;
		json = input.json;
	}
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
	if (collection.features.length === 0) {
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
		features: collection.features,
		ownsFeatures: 'file' in input
	};
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

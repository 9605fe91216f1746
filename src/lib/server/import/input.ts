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
		try {
			json = JSON.parse(text);
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
		name: collection.name?.trim() || undefined,
		crsName,
		synthetic: collection.synthetic === true,
		features: collection.features
	};
}

/** A feature's envelope, or why it is not one. */
export function readFeature(value: unknown): { ok: true; feature: Feature } | { ok: false; reason: string } {
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

/** A property value as text, or null when missing or empty. */
export function textValue(value: unknown): string | null {
	if (value === null || value === undefined) return null;
	const text = (typeof value === 'string' ? value : String(value)).trim();
	return text === '' ? null : text;
}

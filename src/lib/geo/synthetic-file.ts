import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import {
	generateSyntheticPlots,
	neighbourhoodsFromGeoJson,
	SYNTHETIC_COLLECTION_MEMBERS,
	type SyntheticSummary
} from './synthetic';

/**
 * Writes generated plots to a GeoJSON file as they are made (a 200,000-plot file is
 * ~120 MB; it is never one string in memory). The file appears only when complete, so
 * a cache check never trusts a half-written one.
 */

/** Bump when the generator's output changes, so cached benchmark files are remade. */
export const GENERATOR_VERSION = 1;

export interface SyntheticFileOptions {
	plots: number;
	seed: number;
	owner: string;
	neighbourhoodsFile: string;
	out: string;
}

/** Written as the collection's `generator` member; also what a cache is checked against. */
export interface GeneratorStamp {
	tool: 'perkje generate';
	version: number;
	plots: number;
	seed: number;
	owner: string;
	neighbourhoods: string;
}

export function defaultOutFile(plots: number, seed: number): string {
	return path.join('data', 'synthetic', seed === 1 ? `plots-${plots}.geojson` : `plots-${plots}-seed${seed}.geojson`);
}

function stampOf(o: SyntheticFileOptions): GeneratorStamp {
	return {
		tool: 'perkje generate',
		version: GENERATOR_VERSION,
		plots: o.plots,
		seed: o.seed,
		owner: o.owner,
		neighbourhoods: path.relative(process.cwd(), path.resolve(o.neighbourhoodsFile))
	};
}

export async function writeSyntheticFile(
	options: SyntheticFileOptions,
	onProgress?: (done: number, total: number) => void
): Promise<SyntheticSummary> {
	let raw: unknown;
	try {
		raw = JSON.parse(fs.readFileSync(options.neighbourhoodsFile, 'utf8'));
	} catch (e) {
		throw new Error(`Cannot read neighbourhoods from ${options.neighbourhoodsFile}: ${(e as Error).message}`);
	}
	let neighbourhoods;
	try {
		neighbourhoods = neighbourhoodsFromGeoJson(raw);
	} catch (e) {
		throw new Error(`${options.neighbourhoodsFile}: ${(e as Error).message}`);
	}

	fs.mkdirSync(path.dirname(path.resolve(options.out)), { recursive: true });
	const partial = `${options.out}.partial-${process.pid}`;
	const stream = fs.createWriteStream(partial, { encoding: 'utf8' });
	const failed = new Promise<never>((_, reject) => stream.once('error', reject));
	const write = async (text: string) => {
		if (!stream.write(text)) await Promise.race([once(stream, 'drain'), failed]);
	};
	try {
		const header = {
			type: 'FeatureCollection',
			...SYNTHETIC_COLLECTION_MEMBERS,
			generator: stampOf(options),
			features: '@'
		};
		const [before, after] = JSON.stringify(header).split('"@"');
		await write(`${before}[\n`);

		const plots = generateSyntheticPlots(neighbourhoods, options);
		let chunk: string[] = [];
		let count = 0;
		let step = plots.next();
		while (!step.done) {
			chunk.push((count === 0 ? '' : ',\n') + JSON.stringify(step.value.feature));
			count++;
			if (chunk.length === 2000) {
				await write(chunk.join(''));
				chunk = [];
				onProgress?.(count, options.plots);
			}
			step = plots.next();
		}
		await write(`${chunk.join('')}\n]${after}\n`);
		onProgress?.(count, options.plots);
		stream.end();
		await Promise.race([once(stream, 'finish'), failed]);
		fs.renameSync(partial, options.out);
		return step.value;
	} catch (e) {
		stream.destroy();
		fs.rmSync(partial, { force: true });
		throw e;
	}
}

/**
 * The stamp of an existing generated file (read from its first bytes), or null when the
 * file is missing or not ours. Lets a benchmark reuse a file made with the same options.
 */
export function readGeneratorStamp(file: string): GeneratorStamp | null {
	let head: string;
	try {
		const fd = fs.openSync(file, 'r');
		try {
			const buf = Buffer.alloc(2048);
			head = buf.subarray(0, fs.readSync(fd, buf, 0, buf.length, 0)).toString('utf8');
		} finally {
			fs.closeSync(fd);
		}
	} catch {
		return null;
	}
	const match = /"generator":(\{[^{}]*\})/.exec(head);
	if (!match) return null;
	try {
		return JSON.parse(match[1]) as GeneratorStamp;
	} catch {
		return null;
	}
}

/** Whether `file` was generated with exactly these options by this generator version. */
export function isUpToDate(options: SyntheticFileOptions): boolean {
	const stamp = readGeneratorStamp(options.out);
	const want = stampOf(options);
	return (
		stamp !== null &&
		(Object.keys(want) as (keyof GeneratorStamp)[]).every((k) => stamp[k] === want[k])
	);
}

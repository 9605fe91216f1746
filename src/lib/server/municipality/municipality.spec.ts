import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importBounds, loadMunicipality, publicMunicipality } from '.';

const SEED = 'db/seed/municipality.json';

function fileWith(content: string): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perkje-municipality-'));
	const file = path.join(dir, 'municipality.json');
	fs.writeFileSync(file, content);
	return file;
}

describe('the municipality settings', () => {
	it('reads the shipped settings; pages get them without the seed paths', () => {
		const m = loadMunicipality(SEED);
		expect(m.name).toBe('Delft');
		expect(publicMunicipality(m)).not.toHaveProperty('demo');
	});

	it('names the file and the problem when it cannot be read or is not valid', () => {
		expect(() => loadMunicipality('/nowhere/municipality.json')).toThrow(/Cannot read the municipality settings in \/nowhere\/municipality\.json/);
		expect(() => loadMunicipality(fileWith('{ "name": '))).toThrow(/Cannot read the municipality settings/);
		expect(() => loadMunicipality(fileWith('{ "name": "Delft" }'))).toThrow(/municipality settings in .* are invalid/);
	});

	it('lets imports reach 2 km past the bounds, and says so in the refusal', () => {
		const m = loadMunicipality(SEED);
		const { bounds, boundsName } = importBounds(m);
		expect(bounds[0]).toBeLessThan(m.bounds[0]);
		expect(bounds[3]).toBeGreaterThan(m.bounds[3]);
		expect(boundsName).toContain('2 km');
	});
});

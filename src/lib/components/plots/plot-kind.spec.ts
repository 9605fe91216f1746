import { describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '#lib/paraglide/runtime.js';
import { plotKindLabel } from './plot-kind';

describe('plot kind labels', () => {
	it('names BGT kinds in Dutch, with the finer kind when the source knows it', () => {
		overwriteGetLocale(() => 'nl');
		expect(plotKindLabel('groenvoorziening', 'heesters')).toBe('Groenvoorziening, heesters');
		expect(plotKindLabel('groenvoorziening', 'gras- en kruidachtigen')).toBe(
			'Groenvoorziening, gras en kruiden'
		);
		expect(plotKindLabel('groenvoorziening', 'waardeOnbekend')).toBe('Groenvoorziening');
		expect(plotKindLabel('groenvoorziening', null)).toBe('Groenvoorziening');
	});

	it('translates to English, and shows unknown source values as they are', () => {
		overwriteGetLocale(() => 'en');
		expect(plotKindLabel('naaldbos')).toBe('Woodland');
		expect(plotKindLabel('groenvoorziening', 'bodembedekkers')).toBe('Planted area, ground cover');
		expect(plotKindLabel('fruitteelt', 'iets nieuws')).toBe('fruitteelt, iets nieuws');
	});
});

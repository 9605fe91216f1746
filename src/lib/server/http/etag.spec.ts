import { describe, expect, it } from 'vitest';
import { etagMatches } from './etag';

describe('etagMatches', () => {
	it('answers 304 for the tag a browser kept, weak or strong, in a list, or "*"', () => {
		expect(etagMatches('"abc"', '"abc"')).toBe(true);
		expect(etagMatches('W/"abc"', '"abc"')).toBe(true);
		expect(etagMatches('"abc"', 'W/"abc"')).toBe(true);
		expect(etagMatches('"old", "abc"', '"abc"')).toBe(true);
		expect(etagMatches('*', '"abc"')).toBe(true);
	});

	it('sends the body again when the tag is another or there is none', () => {
		expect(etagMatches(null, '"abc"')).toBe(false);
		expect(etagMatches('', '"abc"')).toBe(false);
		expect(etagMatches('"abcd"', '"abc"')).toBe(false);
		expect(etagMatches('abc', '"abc"')).toBe(false);
	});
});

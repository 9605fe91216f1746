import { describe, expect, it } from 'vitest';
import { safeRedirectTarget } from './guard';

describe('safeRedirectTarget', () => {
	it('keeps paths of this site, with their query and fragment', () => {
		expect(safeRedirectTarget('/account')).toBe('/account');
		expect(safeRedirectTarget('/plots?state=available&page=2#lijst')).toBe('/plots?state=available&page=2#lijst');
		expect(safeRedirectTarget('/en/mijn-perken')).toBe('/en/mijn-perken');
	});

	it('refuses every way out to another host, as a browser would read it', () => {
		for (const target of [
			'/\t/evil.example/',
			'/\n/evil.example/',
			'/\r\n/evil.example/',
			'//evil.example/',
			'/\\evil.example/',
			'/\\/evil.example',
			'https://evil.example/',
			'javascript:alert(1)',
			' /account',
			'/\u0000/evil.example',
			''
		]) {
			expect(safeRedirectTarget(target, '/fallback'), JSON.stringify(target)).toBe('/fallback');
		}
	});
});

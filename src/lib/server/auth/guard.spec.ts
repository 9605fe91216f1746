import { describe, expect, it } from 'vitest';
import { safeRedirectTarget } from './guard';

describe('safeRedirectTarget', () => {
	it('keeps paths of this site, with their query and fragment', () => {
		for (const path of ['/account', '/plots?state=available&page=2#lijst', '/en/mijn-perken']) {
			expect(safeRedirectTarget(path)).toBe(path);
		}
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

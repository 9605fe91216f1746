import { describe, expect, it } from 'vitest';
import { basemapOrigin, basemapStyleUrl, PDOK_BRT_STYLE_URL } from './basemap';

describe('basemap configuration', () => {
	it('is off unless configured', () => {
		expect(basemapStyleUrl({})).toBeNull();
		expect(basemapStyleUrl({ PERKJE_BASEMAP_STYLE_URL: '  ' })).toBeNull();
	});

	it('takes an http(s) style URL and gives its origin for the CSP', () => {
		const env = { PERKJE_BASEMAP_STYLE_URL: PDOK_BRT_STYLE_URL };
		expect(basemapStyleUrl(env)).toBe(PDOK_BRT_STYLE_URL);
		expect(basemapOrigin(env)).toBe('https://api.pdok.nl');
	});

	it('ignores a value that is not a web URL rather than failing the page', () => {
		expect(basemapStyleUrl({ PERKJE_BASEMAP_STYLE_URL: 'javascript:alert(1)' })).toBeNull();
		expect(basemapStyleUrl({ PERKJE_BASEMAP_STYLE_URL: 'not a url' })).toBeNull();
		expect(basemapOrigin({ PERKJE_BASEMAP_STYLE_URL: 'file:///etc/passwd' })).toBeNull();
	});

});

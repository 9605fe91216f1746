import { describe, expect, it } from 'vitest';
import { loadConfig } from '#server/config';
import { basemapOrigin, PDOK_BRT_STYLE_URL } from './basemap-origin';

const mapOf = (env: NodeJS.ProcessEnv) => loadConfig(env).map;

describe('basemap configuration', () => {
	it('is off unless configured', () => {
		expect(mapOf({}).basemapStyleUrl).toBeNull();
		expect(mapOf({ PERKJE_BASEMAP_STYLE_URL: '  ' }).basemapStyleUrl).toBeNull();
		expect(basemapOrigin(mapOf({}))).toBeNull();
	});

	it('takes an http(s) style URL and gives its origin for the CSP', () => {
		const map = mapOf({ PERKJE_BASEMAP_STYLE_URL: PDOK_BRT_STYLE_URL });
		expect(map.basemapStyleUrl).toBe(PDOK_BRT_STYLE_URL);
		expect(basemapOrigin(map)).toBe('https://api.pdok.nl');
	});

	it('refuses a value that is not a web URL before the app starts, naming the variable', () => {
		for (const value of ['javascript:alert(1)', 'not a url', 'file:///etc/passwd']) {
			expect(() => mapOf({ PERKJE_BASEMAP_STYLE_URL: value })).toThrow(/PERKJE_BASEMAP_STYLE_URL: /);
		}
	});
});

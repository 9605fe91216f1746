import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, isCrossSiteWrite } from './security-headers';

function event(method: string, headers: Record<string, string> = {}) {
	return { request: new Request('http://perkje.test/x', { method, headers }), url: new URL('http://perkje.test/x') };
}

describe('content security policy', () => {
	it('lets MapLibre start workers from blob: and forbids framing', () => {
		const csp = contentSecurityPolicy({});
		expect(csp).toContain("worker-src 'self' blob:");
		expect(csp).toContain("frame-ancestors 'none'");
		expect(csp).toContain("connect-src 'self';");
	});

	it('allows the configured basemap and extra origins, and nothing malformed', () => {
		const csp = contentSecurityPolicy({
			PERKJE_BASEMAP_STYLE_URL: 'https://api.pdok.nl/kadaster/brt/style?f=mapbox',
			PERKJE_CSP_ORIGINS: "https://tiles.example.nl, javascript:alert(1) 'unsafe-eval'"
		});
		expect(csp).toContain("connect-src 'self' https://api.pdok.nl https://tiles.example.nl;");
		expect(csp).toContain("img-src 'self' data: blob: https://api.pdok.nl https://tiles.example.nl;");
		expect(csp).not.toContain('unsafe-eval');
		expect(csp).not.toContain('javascript');
	});
});

describe('cross-site writes', () => {
	it('refuses writes that a browser marks as coming from another site', () => {
		expect(isCrossSiteWrite(event('POST', { 'sec-fetch-site': 'cross-site' }))).toBe(true);
		expect(isCrossSiteWrite(event('DELETE', { origin: 'https://evil.example' }))).toBe(true);
		expect(isCrossSiteWrite(event('PUT', { 'sec-fetch-site': 'same-site' }))).toBe(true);
	});

	it('lets same-origin writes, reads, and non-browser clients through', () => {
		expect(isCrossSiteWrite(event('POST', { origin: 'http://perkje.test', 'sec-fetch-site': 'same-origin' }))).toBe(false);
		expect(isCrossSiteWrite(event('GET', { 'sec-fetch-site': 'cross-site' }))).toBe(false);
		expect(isCrossSiteWrite(event('POST'))).toBe(false);
	});
});

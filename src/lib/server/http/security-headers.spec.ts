import { describe, expect, it } from 'vitest';
import { loadConfig } from '#server/config';
import { contentSecurityPolicy } from './security-headers';

const policyFor = (env: NodeJS.ProcessEnv) => contentSecurityPolicy(loadConfig(env).map);

describe('content security policy', () => {
	it('lets MapLibre start workers from blob: and forbids framing', () => {
		const csp = policyFor({});
		expect(csp).toContain("worker-src 'self' blob:");
		expect(csp).toContain("frame-ancestors 'none'");
		expect(csp).toContain("connect-src 'self';");
	});

	it('allows the configured basemap and extra origins, and nothing malformed', () => {
		const csp = policyFor({
			PERKJE_BASEMAP_STYLE_URL: 'https://api.pdok.nl/kadaster/brt/style?f=mapbox',
			PERKJE_CSP_ORIGINS: 'https://tiles.example.nl'
		});
		expect(csp).toContain("connect-src 'self' https://api.pdok.nl https://tiles.example.nl;");
		expect(csp).toContain("img-src 'self' data: blob: https://api.pdok.nl https://tiles.example.nl;");
		// Anything malformed stops the start, so it never reaches the header.
		expect(() =>
			policyFor({ PERKJE_CSP_ORIGINS: "https://tiles.example.nl, javascript:alert(1) 'unsafe-eval'" })
		).toThrow(/^Invalid configuration:\n {2}PERKJE_CSP_ORIGINS: /);
		expect(csp).not.toContain('unsafe-eval');
		expect(csp).not.toContain('javascript');
	});
});

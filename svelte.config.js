import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: {
		runes: true
	},
	kit: {
		adapter: adapter({ out: 'build', precompress: true }),
		// The origin check lives in src/lib/server/http/origin.ts (handleOrigin), at least as strict
		// as SvelteKit's, which answers with a bare English text page and cannot name the fix.
		csrf: { trustedOrigins: ['*'] },
		// Script nonces/hashes from SvelteKit; the rest of the Content-Security-Policy is added
		// to the same header in src/lib/server/http/security-headers.ts (auth helper).
		csp: { mode: 'auto', directives: { 'script-src': ['self'] } }
	}
};

export default config;

import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			strategy: ['url', 'cookie', 'baseLocale']
		}),
		sveltekit()
	],
	// svelte-maplibre-gl/vite imports the MapLibre worker as `?worker&url`, which Vite's own
	// pipeline understands but its dependency optimizer does not: `vite dev` died on start.
	optimizeDeps: { exclude: ['svelte-maplibre-gl'] },
	test: {
		include: ['src/**/*.spec.ts', 'tests/integration/**/*.spec.ts'],
		globalSetup: ['tests/integration/global-setup.ts'],
		setupFiles: ['tests/integration/per-file-setup.ts'],
		pool: 'forks',
		testTimeout: 60_000,
		hookTimeout: 120_000
	}
});

import { defineConfig, devices } from '@playwright/test';

/**
 * Browser tests against the real built app (`npm run build` first; `npm test` does that),
 * in Debian's Chromium: no browser download, which this project cannot do offline.
 * tests/e2e/serve.ts gives the server a fresh database every run: a temporary embedded
 * folder, or with DATABASE_URL a freshly created database on that server.
 */
const port = Number(process.env.PERKJE_E2E_PORT ?? 4210);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
	testDir: 'tests/e2e',
	testMatch: '**/*.e2e.ts',
	outputDir: 'test-results',
	fullyParallel: false,
	workers: 2,
	// A retry would hide exactly the flakiness these tests exist to catch.
	retries: 0,
	forbidOnly: true,
	reporter: 'list',
	timeout: 60_000,
	expect: { timeout: 15_000 },
	use: {
		baseURL,
		locale: 'nl-NL',
		trace: 'retain-on-failure',
		screenshot: 'only-on-failure'
	},
	projects: [
		{
			name: 'chromium',
			use: {
				...devices['Desktop Chrome'],
				launchOptions: {
					executablePath: process.env.PERKJE_CHROMIUM ?? '/usr/bin/chromium',
					args: [
						'--no-sandbox',
						'--disable-gpu',
						'--disable-background-networking',
						'--disable-component-update',
						'--disable-sync',
						'--no-first-run'
					]
				}
			}
		}
	],
	webServer: {
		command: 'node node_modules/tsx/dist/cli.mjs tests/e2e/serve.ts',
		url: `${baseURL}/healthz`,
		env: { PORT: String(port) },
		// Cold start of the embedded database plus the demo import takes 20–40 s here.
		timeout: 180_000,
		reuseExistingServer: false,
		gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
		stdout: 'ignore',
		stderr: 'pipe'
	}
});

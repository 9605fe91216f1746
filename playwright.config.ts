import { defineConfig, devices } from '@playwright/test';
import { DEMO_PORT, DEMO_URL, EMPTY_PORT, EMPTY_URL } from './tests/e2e/servers';
import { MAILBOX } from './tests/e2e/mailbox';

/**
 * Browser tests against the real built app (`npm run build` first; `npm test` does that),
 * in Debian's Chromium: no browser download, which this project cannot do offline.
 * tests/e2e/serve.ts gives each server a fresh database every run: a temporary embedded
 * folder, or with DATABASE_URL a freshly created database on that server. Tests use the
 * demo server (baseURL) unless they ask for the empty one (tests/e2e/servers.ts).
 */
const server = (port: number, url: string, demo: boolean) => ({
	command: 'node node_modules/tsx/dist/cli.mjs tests/e2e/serve.ts',
	url: `${url}/healthz`,
	// Mails go to the test SMTP server (auth helper, tests/e2e/mailbox.ts; ports 4301-4302).
	// ORIGIN: adapter-node assumes https without it, and SvelteKit's CSRF check then refuses
	// every form post from the browser's http://127.0.0.1 origin.
	env: { PORT: String(port), PERKJE_DEMO: String(demo), SMTP_URL: MAILBOX.smtpUrl, ORIGIN: url },
	// Cold start of the embedded database plus the demo import takes 20–40 s here.
	timeout: 180_000,
	reuseExistingServer: false,
	gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 15_000 },
	stdout: 'ignore' as const,
	stderr: 'pipe' as const
});

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
		baseURL: DEMO_URL,
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
	webServer: [MAILBOX.webServer, server(DEMO_PORT, DEMO_URL, true), server(EMPTY_PORT, EMPTY_URL, false)]
});

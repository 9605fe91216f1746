/**
 * `npm run bench:bundle`: how much JavaScript a visitor downloads before the map starts.
 *
 * Serves the built app (./build: run `npm run build` first) on a fresh embedded database with
 * the demo data, opens the home page in Chromium and splits the page's JavaScript at the
 * `perkje-map-import` performance mark (set by PlotMap.svelte right before it imports the
 * map): everything requested before it is what every visitor pays for the page; what comes
 * after is the map (MapLibre, its worker, our map code), loaded lazily.
 *
 * Sizes are gzip (level 9, as adapter-node's precompressed .gz files) of the built files;
 * Chromium itself gets Brotli, which is a little smaller. Aim: ≤ 200 kB gzip before the map.
 *
 * Options: --port N (default 4250, in the map's e2e range 4240–4259) --budget KB (default 200)
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { printTable } from './lib/table';

const { values } = parseArgs({
	options: { port: { type: 'string', default: '4250' }, budget: { type: 'string', default: '200' } }
});
const port = Number(values.port);
const budgetKb = Number(values.budget);
const origin = `http://127.0.0.1:${port}`;
const clientDir = path.resolve('build/client');

if (!fs.existsSync(path.resolve('build/handler.js'))) {
	console.error('No build in ./build: run `npm run build` first.');
	process.exit(2);
}

const server = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'tests/e2e/serve.ts'], {
	env: { ...process.env, PORT: String(port), PERKJE_DEMO: 'true', ORIGIN: origin, DATABASE_URL: '' },
	stdio: ['ignore', 'ignore', 'inherit']
});
const stopServer = () =>
	new Promise<void>((resolve) => {
		if (server.exitCode !== null) return resolve();
		server.once('exit', () => resolve());
		server.kill('SIGTERM');
	});

async function waitForServer(): Promise<void> {
	const deadline = Date.now() + 180_000;
	while (Date.now() < deadline) {
		try {
			if ((await fetch(`${origin}/healthz`)).ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	throw new Error(`The app did not start on ${origin}`);
}

interface Script {
	file: string;
	raw: number;
	gzip: number;
	beforeMap: boolean;
}

function measure(url: string): { raw: number; gzip: number } {
	const file = path.join(clientDir, decodeURIComponent(new URL(url).pathname));
	const bytes = fs.readFileSync(file);
	return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);

try {
	await waitForServer();
	const browser = await chromium.launch({
		executablePath: process.env.PERKJE_CHROMIUM ?? '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking']
	});
	const page = await browser.newPage();
	await page.goto(`${origin}/`);
	await page.waitForSelector('[data-map-state="ready"]', { timeout: 60_000 });
	const entries = await page.evaluate(() => {
		const mark = performance.getEntriesByName('perkje-map-import')[0]?.startTime ?? Infinity;
		return performance
			.getEntriesByType('resource')
			.filter((e) => /\.m?js(\?|$)/.test(e.name))
			.map((e) => ({ url: e.name, beforeMap: e.startTime < mark }));
	});
	// Module scripts from the HTML (the entry points) are not always resource entries.
	const html = await (await fetch(`${origin}/`)).text();
	const inline = [...html.matchAll(/import\("\.?(\/_app\/[^"]+\.js)"\)|href="\.?(\/_app\/[^"]+\.js)"/g)].map(
		(m) => `${origin}${m[1] ?? m[2]}`
	);
	await browser.close();

	const scripts = new Map<string, Script>();
	for (const { url, beforeMap } of [...inline.map((url) => ({ url, beforeMap: true })), ...entries]) {
		if (!url.startsWith(`${origin}/_app/`) || scripts.has(url)) continue;
		scripts.set(url, { file: new URL(url).pathname, ...measure(url), beforeMap });
	}
	const before = [...scripts.values()].filter((s) => s.beforeMap);
	const after = [...scripts.values()].filter((s) => !s.beforeMap);
	const sum = (list: Script[], key: 'raw' | 'gzip') => list.reduce((n, s) => n + s[key], 0);

	printTable(
		'JavaScript of the home page, split at the moment the map is imported',
		['', 'files', 'kB', 'kB gzip'],
		[
			['before the map starts', before.length, kb(sum(before, 'raw')), kb(sum(before, 'gzip'))],
			['the map (lazy)', after.length, kb(sum(after, 'raw')), kb(sum(after, 'gzip'))]
		]
	);
	printTable(
		'Largest files before the map',
		['file', 'kB gzip'],
		before
			.sort((a, b) => b.gzip - a.gzip)
			.slice(0, 8)
			.map((s) => [s.file, kb(s.gzip)])
	);
	const total = sum(before, 'gzip') / 1024;
	console.log(
		total <= budgetKb
			? `OK: ${total.toFixed(1)} kB gzip before the map (budget ${budgetKb} kB).`
			: `OVER BUDGET: ${total.toFixed(1)} kB gzip before the map (budget ${budgetKb} kB).`
	);
	process.exitCode = total <= budgetKb ? 0 : 1;
} finally {
	await stopServer();
}

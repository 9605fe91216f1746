import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createServer, type ViteDevServer } from 'vite';

/**
 * The whole app (hooks, pages, form actions, endpoints) served by Vite's dev server inside
 * the test process, on real HTTP. No build needed, and `load()` reaches the very module
 * instances the server uses (same database handle), so a test can prepare data even on
 * the embedded database, which only one instance may open.
 */
export interface DevApp {
	url: string;
	load<T>(file: string): Promise<T>;
	close(): Promise<void>;
}

async function listenInRange(server: http.Server, [from, to]: [number, number]): Promise<number> {
	for (let port = from; port <= to; port++) {
		const ok = await new Promise<boolean>((resolve) => {
			const onError = () => resolve(false);
			server.once('error', onError);
			server.listen(port, '127.0.0.1', () => {
				server.off('error', onError);
				resolve(true);
			});
		});
		if (ok) return (server.address() as AddressInfo).port;
	}
	throw new Error(`No free port in ${from}-${to}`);
}

export async function startDevApp(
	env: Record<string, string> = {},
	ports: [number, number] = [4350, 4399]
): Promise<DevApp> {
	// The app reads its configuration from process.env, like in production.
	Object.assign(process.env, { PERKJE_DEMO: 'false', LOG_LEVEL: 'warn', ...env });
	const vite: ViteDevServer = await createServer({
		configFile: path.resolve('vite.config.ts'),
		server: { middlewareMode: true, hmr: false, ws: false, watch: null },
		appType: 'custom',
		logLevel: 'error',
		// No browser here: skip pre-bundling the client's dependencies (MapLibre's worker).
		optimizeDeps: { noDiscovery: true, include: [] }
	});
	const server = http.createServer(vite.middlewares);
	const port = await listenInRange(server, ports);
	const app: DevApp = {
		url: `http://127.0.0.1:${port}`,
		load: <T>(file: string) => vite.ssrLoadModule(file) as Promise<T>,
		async close() {
			// shutdownApp: stops the app's background work (the mail outbox worker), then closes the database.
			const startup = await app.load<{ shutdownApp(): Promise<void> }>('/src/lib/server/startup.ts');
			await startup.shutdownApp();
			await new Promise<void>((resolve) => server.close(() => resolve()));
			await vite.close();
		}
	};
	return app;
}

/**
 * A visitor with a cookie jar: what a browser without JavaScript does. Form posts carry
 * the Origin header a browser sends (SvelteKit refuses them without it).
 */
export class Visitor {
	readonly cookies = new Map<string, string>();
	constructor(readonly baseUrl: string) {}

	async request(
		pathname: string,
		init: { method?: string; form?: Record<string, string | string[]>; headers?: Record<string, string> } = {}
	): Promise<Response> {
		// A browser asks for HTML; SvelteKit answers form posts without it with JSON.
		const headers: Record<string, string> = { accept: 'text/html', ...init.headers };
		if (this.cookies.size) {
			headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
		}
		let body: string | undefined;
		if (init.form) {
			const params = new URLSearchParams();
			for (const [k, v] of Object.entries(init.form)) {
				for (const value of Array.isArray(v) ? v : [v]) params.append(k, value);
			}
			body = params.toString();
			headers['content-type'] = 'application/x-www-form-urlencoded';
			headers.origin ??= this.baseUrl;
		}
		const response = await fetch(new URL(pathname, this.baseUrl), {
			method: init.method ?? (init.form ? 'POST' : 'GET'),
			headers,
			body,
			redirect: 'manual'
		});
		for (const line of response.headers.getSetCookie()) {
			const [pair, ...attrs] = line.split(';');
			const eq = pair.indexOf('=');
			const name = pair.slice(0, eq).trim();
			const value = pair.slice(eq + 1).trim();
			const expired = attrs.some((a) => /max-age=0\b/i.test(a.trim()) || /expires=thu, 01 jan 1970/i.test(a.trim()));
			if (expired || value === '') this.cookies.delete(name);
			else this.cookies.set(name, value);
		}
		return response;
	}

	get(pathname: string) {
		return this.request(pathname);
	}

	post(pathname: string, form: Record<string, string | string[]>) {
		return this.request(pathname, { form });
	}
}

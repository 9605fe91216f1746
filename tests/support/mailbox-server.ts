/**
 * The browser tests' mailbox: a real SMTP server (the app sends to it, see SMTP_URL in
 * playwright.config.ts) plus a tiny HTTP API so the test workers, which run in other
 * processes, can read what arrived. Started by Playwright as one of its webServers.
 */
import http from 'node:http';
import { startTestMailbox } from './test-smtp';

const smtpPort = Number(process.env.MAILBOX_SMTP_PORT ?? 4301);
const httpPort = Number(process.env.MAILBOX_HTTP_PORT ?? 4302);

const mailbox = await startTestMailbox([smtpPort, smtpPort]);
const server = http.createServer((req, res) => {
	const url = new URL(req.url ?? '/', `http://127.0.0.1:${httpPort}`);
	if (url.pathname === '/health') {
		res.end('ok');
		return;
	}
	if (url.pathname === '/mails') {
		const to = url.searchParams.get('to')?.toLowerCase();
		res.setHeader('content-type', 'application/json');
		res.end(JSON.stringify(mailbox.mails.filter((m) => !to || m.to.includes(to))));
		return;
	}
	res.statusCode = 404;
	res.end();
});
server.listen(httpPort, '127.0.0.1', () => console.error(`[e2e] mailbox: smtp ${smtpPort}, http ${httpPort}`));

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
	process.on(signal, () => {
		server.close();
		void mailbox.close().then(() => process.exit(0));
	});
}

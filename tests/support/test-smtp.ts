import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server in the test process: the app sends through nodemailer to it exactly
 * as it would to a mail provider, and tests read what arrived.
 */
export interface ReceivedMail {
	to: string[];
	subject: string;
	/** The decoded message (headers and all parts), for finding links. */
	body: string;
}

export interface TestMailbox {
	url: string;
	port: number;
	mails: ReceivedMail[];
	/** Waits for a mail to `to` (and matching `subject`, if given) that arrived after `since`. */
	waitFor(to: string, options?: { subject?: RegExp; since?: number; timeoutMs?: number }): Promise<ReceivedMail>;
	close(): Promise<void>;
}

/** Undoes quoted-printable (nodemailer's choice for long lines), so links are whole again. */
function decodeQuotedPrintable(raw: string): string {
	return raw
		.replace(/=\r?\n/g, '')
		.replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function header(raw: string, name: string): string {
	const match = new RegExp(`^${name}:\\s*(.*(?:\\r?\\n[ \\t].*)*)`, 'im').exec(raw);
	return match ? decodeEncodedWords(match[1].replace(/\r?\n[ \t]/g, ' ').trim()) : '';
}

/** RFC 2047 encoded words ("=?UTF-8?Q?be=C3=ABindigd?="), as a mail program shows them. */
function decodeEncodedWords(value: string): string {
	return value
		.replace(/(\?=)\s+(?==\?)/g, '$1')
		.replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, _charset: string, encoding: string, text: string) =>
			encoding.toUpperCase() === 'B'
				? Buffer.from(text, 'base64').toString('utf8')
				: Buffer.from(
						text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
						'latin1'
					).toString('utf8')
		);
}

export async function startTestMailbox(ports: [number, number] = [4300, 4349]): Promise<TestMailbox> {
	const mails: ReceivedMail[] = [];
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		logger: false,
		onAuth(_auth, _session, callback) {
			callback(null, { user: 'test' });
		},
		onData(stream, session, callback) {
			let raw = '';
			stream.setEncoding('utf8');
			stream.on('data', (chunk: string) => (raw += chunk));
			stream.on('end', () => {
				mails.push({
					to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
					subject: header(raw, 'Subject'),
					body: decodeQuotedPrintable(raw)
				});
				callback();
			});
		}
	});
	let port = 0;
	for (let candidate = ports[0]; candidate <= ports[1] && !port; candidate++) {
		port = await new Promise<number>((resolve) => {
			const onError = () => resolve(0);
			server.server.once('error', onError);
			server.listen(candidate, '127.0.0.1', () => {
				server.server.off('error', onError);
				resolve(candidate);
			});
		});
	}
	if (!port) throw new Error(`No free port for the test SMTP server in ${ports.join('-')}`);
	return {
		url: `smtp://test:test@127.0.0.1:${port}`,
		port,
		mails,
		async waitFor(to, { subject, since = 0, timeoutMs = 15_000 } = {}) {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const found = mails
					.slice(since)
					.find((m) => m.to.includes(to.toLowerCase()) && (!subject || subject.test(m.subject)));
				if (found) return found;
				if (Date.now() > deadline) {
					throw new Error(`No mail to ${to} within ${timeoutMs} ms (got: ${mails.map((m) => `${m.to} "${m.subject}"`).join('; ')})`);
				}
				await new Promise((r) => setTimeout(r, 100));
			}
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}

/** The first link in a mail that leads to `path` (e.g. /verifieren), with its token. */
export function linkIn(mail: ReceivedMail, path: string): string {
	const match = new RegExp(`https?://[^\\s"<>]*${path}\\?token=[A-Za-z0-9._~%-]+`).exec(mail.body);
	if (!match) throw new Error(`No ${path} link in mail "${mail.subject}":\n${mail.body}`);
	return match[0];
}

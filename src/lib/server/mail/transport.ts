import nodemailer, { type Transporter } from 'nodemailer';

// One transport per SMTP URL, reused across requests and outbox passes (nodemailer pools
// nothing by default, but keeps the parsed options and the TLS settings).
const transports = new Map<string, Transporter>();

/**
 * The SMTP transport for `url`. Short timeouts: nodemailer's default socket timeout (10 min)
 * would keep a person waiting, and would outlast the outbox worker's claim on a mail.
 */
export function transportFor(url: string): Transporter {
	let transport = transports.get(url);
	if (!transport) {
		transport = nodemailer.createTransport({
			url,
			connectionTimeout: 30_000,
			greetingTimeout: 30_000,
			socketTimeout: 60_000
		});
		transports.set(url, transport);
	}
	return transport;
}

export interface SmtpMessage {
	to: string;
	subject: string;
	text: string;
	html?: string;
	/** Our own Message-ID (the outbox's, stable across retries); nodemailer makes one without it. */
	messageId?: string;
}

/** Sends one message over SMTP from `from`; the id the message went out with. */
export async function sendOverSmtp(url: string, from: string, message: SmtpMessage): Promise<string> {
	const { to, subject, text, html, messageId } = message;
	const info = await transportFor(url).sendMail({ from, to, subject, text, html, messageId });
	return info.messageId;
}

import { z } from 'zod';

/** Mail settings from the environment, validated like the rest of the configuration. */
const MailEnv = z.object({
	SMTP_URL: z
		.string()
		.regex(/^smtps?:\/\//, 'SMTP_URL must look like smtp://user:pass@host:587 or smtps://...')
		.optional()
		.or(z.literal('').transform(() => undefined)),
	MAIL_FROM: z.string().min(3).default('Perkje <noreply@perkje.invalid>')
});

export interface MailConfig {
	/** Unset: no mail leaves the machine; it stays in the outbox table (the log says only that). */
	smtpUrl: string | undefined;
	from: string;
}

export function readMailConfig(env: NodeJS.ProcessEnv = process.env): MailConfig {
	const parsed = MailEnv.safeParse(env);
	if (!parsed.success) {
		throw new Error(
			`Invalid mail configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`
		);
	}
	return { smtpUrl: parsed.data.SMTP_URL, from: parsed.data.MAIL_FROM };
}

import { z } from 'zod';

const AuthEnv = z.object({
	/** Signs session cookies. Unset: a random one is made once and kept in the database. */
	BETTER_AUTH_SECRET: z
		.string()
		.min(32, 'BETTER_AUTH_SECRET must be at least 32 characters')
		.optional()
		.or(z.literal('').transform(() => undefined)),
	/**
	 * The address people use (https://perkje.example.nl). Links in mails are built on it;
	 * without it they follow the request's own origin, which is fine behind adapter-node's
	 * ORIGIN but spoofable through the Host header otherwise. Falls back to ORIGIN.
	 */
	PERKJE_PUBLIC_URL: z.url().optional().or(z.literal('').transform(() => undefined)),
	ORIGIN: z.url().optional().or(z.literal('').transform(() => undefined))
});

export interface AuthConfig {
	secret: string | undefined;
	publicOrigin: string | undefined;
}

export function readAuthConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
	const parsed = AuthEnv.safeParse(env);
	if (!parsed.success) {
		throw new Error(
			`Invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`
		);
	}
	const url = parsed.data.PERKJE_PUBLIC_URL ?? parsed.data.ORIGIN;
	return {
		secret: parsed.data.BETTER_AUTH_SECRET,
		publicOrigin: url ? new URL(url).origin : undefined
	};
}

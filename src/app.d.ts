// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {
		interface Error {
			message: string;
			requestId?: string;
			/** A 403: the roles this page is for, and the visitor's own (for the error page's words). */
			forRoles?: import('#lib/domain/policy.js').Role[];
			role?: import('#lib/domain/policy.js').Role;
			/** A form refused by the origin check (src/lib/server/http/origin.ts): `message` says why. */
			refusedWrite?: true;
		}
		interface Locals {
			requestId: string;
			/** Set by handleSession (src/lib/server/auth/handle.ts); null for visitors. */
			user: import('#server/auth').SessionUser | null;
			actor: import('#lib/domain/policy.js').Actor | null;
			session: { id: string; expiresAt: Date } | null;
		}
		interface PageState {
			/**
			 * The plot the map opened in its panel (shallow routing, src/routes/+page.svelte):
			 * the URL is then /plots/{id}; `data` is what that page's load returned.
			 */
			plotPanel?: { id: number; data: import('#lib/components/plots/types.js').PlotPageData };
		}
	}
}

export {};

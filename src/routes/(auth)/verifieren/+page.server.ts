import { verifyEmail, flowErrorMessage, flowContext } from '#server/auth';
import type { PageServerLoad } from './$types';

// Opening the link from the mail is the confirmation; Better Auth signs the person in too.
export const load = (async (event) => {
	const token = event.url.searchParams.get('token');
	if (!token) return { ok: false, message: flowErrorMessage('invalid_token') };
	const result = await verifyEmail(flowContext(event), token);
	return result.ok
		? { ok: true, message: null }
		: { ok: false, message: flowErrorMessage(result.error, result.retryAfterSeconds) };
}) satisfies PageServerLoad;

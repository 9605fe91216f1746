import { json } from '@sveltejs/kit';
import { appHealth } from '#server/health';
import type { RequestHandler } from './$types';

/** For load balancers and monitoring: 200 when the app can serve, 503 when it cannot. */
export const GET: RequestHandler = async () => {
	const report = await appHealth();
	return json(report, {
		status: report.status === 'ok' ? 200 : 503,
		// A cached "ok" would hide an outage from whoever asks next.
		headers: { 'cache-control': 'no-store' }
	});
};

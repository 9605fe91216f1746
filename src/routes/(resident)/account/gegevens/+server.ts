import { json } from '@sveltejs/kit';
import { getDb } from '#server/db';
import { requireUser } from '#server/auth';
import { exportAccount } from '#server/privacy';
import type { RequestHandler } from './$types';

/** "Download my data": a JSON file with everything Perkje keeps about the account. */
export const GET: RequestHandler = async (event) => {
	const { user } = requireUser(event);
	const data = await exportAccount(getDb(), user.id);
	const day = data.generatedAt.slice(0, 10);
	return json(data, {
		headers: {
			'content-disposition': `attachment; filename="perkje-mijn-gegevens-${day}.json"`,
			'cache-control': 'no-store'
		}
	});
};

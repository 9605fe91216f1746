import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import * as m from '#lib/paraglide/messages.js';
import { getDb } from '#server/db';
import { fieldErrors } from '#server/http';
import { requirePermission } from '#server/auth';
import { currentAgreement, publishAgreement } from '#server/adoptions';
import type { Actions, PageServerLoad } from './$types';

// The adoption agreement residents accept when they ask for a plot. Publishing makes a new
// version; earlier versions stay, because adoptions point at the text that was accepted.
export const load = (async (event) => {
	requirePermission(event, 'admin.users');
	return { agreement: await currentAgreement(getDb()) };
}) satisfies PageServerLoad;

/** As long as the text box lets anyone type (maxlength on the page). */
const AGREEMENT_MAX_LENGTH = 20_000;

const agreementText = () =>
	z
		.string({ error: () => m.agreement_admin_error_short() })
		.trim()
		.min(20, { error: () => m.agreement_admin_error_short() })
		.max(AGREEMENT_MAX_LENGTH, { error: () => m.agreement_admin_error_long({ max: AGREEMENT_MAX_LENGTH }) });

const AgreementSchema = () => z.object({ textNl: agreementText(), textEn: agreementText() });

export const actions = {
	publish: async (event) => {
		const actor = requirePermission(event, 'admin.users');
		const data = await event.request.formData();
		const values = { textNl: String(data.get('textNl') ?? ''), textEn: String(data.get('textEn') ?? '') };
		const parsed = AgreementSchema().safeParse(values);
		if (!parsed.success) return fail(400, { ...values, errors: fieldErrors(parsed.error) });
		const result = await publishAgreement(getDb(), actor, parsed.data);
		if (!result.ok) {
			return fail(400, { ...values, errors: { form: m.agreement_admin_error_unchanged() } });
		}
		return { published: result.agreement.version };
	}
} satisfies Actions;

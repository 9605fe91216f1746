import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import * as m from '#lib/paraglide/messages.js';
import { requirePermission } from '#server/auth';
import { getDb } from '#server/db';
import { fieldErrors, formFields } from '#server/http';
import { PARTNER_KINDS, addPartner, listPartners, updatePartner } from '#server/reports';
import type { Actions, PageServerLoad } from './$types';

/** The organisations reports can be routed to; their people are invited on the admin page. */
export const load = (async (event) => {
	requirePermission(event, 'report.configure');
	return { partners: await listPartners(getDb()), kinds: PARTNER_KINDS };
}) satisfies PageServerLoad;

const PartnerSchema = () =>
	z.object({
		name: z
			.string()
			.trim()
			.min(2, { error: () => m.admin_reports_partner_error_name() })
			.max(120, { error: () => m.admin_reports_partner_error_name() }),
		kind: z.union([z.literal('').transform(() => null), z.enum(PARTNER_KINDS)])
	});

export const actions = {
	add: async (event) => {
		const actor = requirePermission(event, 'report.configure');
		const data = await event.request.formData();
		const values = formFields(data, ['name', 'kind']);
		const parsed = PartnerSchema().safeParse(values);
		if (!parsed.success) return fail(400, { action: 'add', values, errors: fieldErrors(parsed.error) });
		const result = await addPartner(getDb(), actor, parsed.data);
		if (!result.ok) return fail(400, { action: 'add', values, errors: { name: m.admin_reports_partner_error_taken() } });
		return { saved: m.admin_reports_partner_added({ name: parsed.data.name }) };
	},
	update: async (event) => {
		const actor = requirePermission(event, 'report.configure');
		const data = await event.request.formData();
		const values = formFields(data, ['id', 'name', 'kind']);
		const id = z.coerce.number().int().positive().max(2_147_483_647).safeParse(values.id);
		if (!id.success) return fail(400, { action: 'update', values, errors: { form: m.admin_reports_error_gone() } });
		const parsed = PartnerSchema().safeParse(values);
		if (!parsed.success) return fail(400, { action: 'update', id: id.data, values, errors: fieldErrors(parsed.error) });
		const result = await updatePartner(getDb(), actor, id.data, parsed.data);
		if (!result.ok) {
			const errors = result.reason === 'name-taken' ? { name: m.admin_reports_partner_error_taken() } : { form: m.admin_reports_error_gone() };
			return fail(400, { action: 'update', id: id.data, values, errors });
		}
		return { saved: m.admin_reports_saved({ name: parsed.data.name }) };
	}
} satisfies Actions;

import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import * as m from '#lib/paraglide/messages.js';
import { requirePermission } from '#server/auth';
import { getDb } from '#server/db';
import { listAreaOptions } from '#server/plots';
import { addRoutingRule, deleteRoutingRule, listAllCategories, listPartners, listRoutingRules } from '#server/reports';
import type { Actions, PageServerLoad } from './$types';

/** Where reports go: by category and neighbourhood or district, to a partner or the own team. */
export const load = (async (event) => {
	requirePermission(event, 'report.configure');
	const db = getDb();
	const [rules, categories, areas, partners] = await Promise.all([
		listRoutingRules(db),
		listAllCategories(db),
		listAreaOptions(db),
		listPartners(db)
	]);
	return { rules, categories, areas, partners: partners.map((p) => ({ id: p.id, name: p.name })) };
}) satisfies PageServerLoad;

const optionalId = z.union([z.literal('').transform(() => null), z.coerce.number().int().positive().max(2_147_483_647)]);

/** The place is one choice: everywhere, a district (d:CODE) or a neighbourhood (n:ID). */
const RuleSchema = z.object({
	categoryId: optionalId,
	place: z.union([
		z.literal('').transform(() => ({ neighbourhoodId: null, districtCode: null })),
		z
			.string()
			.regex(/^n:[1-9]\d{0,9}$/)
			.transform((s) => ({ neighbourhoodId: Number(s.slice(2)), districtCode: null })),
		z
			.string()
			.regex(/^d:.{1,20}$/)
			.transform((s) => ({ neighbourhoodId: null, districtCode: s.slice(2) }))
	]),
	partnerOrganisationId: z.union([z.literal('own').transform(() => null), z.coerce.number().int().positive().max(2_147_483_647)])
});

export const actions = {
	add: async (event) => {
		const actor = requirePermission(event, 'report.configure');
		const data = await event.request.formData();
		const values = {
			categoryId: String(data.get('categoryId') ?? ''),
			place: String(data.get('place') ?? ''),
			partnerOrganisationId: String(data.get('partnerOrganisationId') ?? '')
		};
		const parsed = RuleSchema.safeParse(values);
		if (!parsed.success) return fail(400, { values, error: m.admin_reports_routing_error_choice() });
		const { categoryId, place, partnerOrganisationId } = parsed.data;
		const result = await addRoutingRule(getDb(), actor, { categoryId, ...place, partnerOrganisationId });
		if (!result.ok) {
			const error = result.reason === 'rule-exists' ? m.admin_reports_routing_error_exists() : m.admin_reports_routing_error_choice();
			return fail(400, { values, error });
		}
		return { saved: m.admin_reports_routing_added() };
	},
	remove: async (event) => {
		const actor = requirePermission(event, 'report.configure');
		const data = await event.request.formData();
		const id = z.coerce.number().int().positive().max(2_147_483_647).safeParse(data.get('id'));
		if (!id.success) return fail(400, { error: m.admin_reports_error_gone() });
		const result = await deleteRoutingRule(getDb(), actor, id.data);
		if (!result.ok) return fail(400, { error: m.admin_reports_error_gone() });
		return { saved: m.admin_reports_routing_removed() };
	}
} satisfies Actions;

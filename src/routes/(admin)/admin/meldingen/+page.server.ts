import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import * as m from '#lib/paraglide/messages.js';
import { requirePermission } from '#server/auth';
import { getDb } from '#server/db';
import { fieldErrors, formFields } from '#server/http';
import { addCategory, listAllCategories, moveCategory, setCategoryActive, updateCategory, type ConfigRefusal } from '#server/reports';
import type { Actions, PageServerLoad } from './$types';

/** Categories and their response targets (working days), a two-level tree. */
export const load = (async (event) => {
	requirePermission(event, 'report.configure');
	return { categories: await listAllCategories(getDb()) };
}) satisfies PageServerLoad;

const RESPONSE_DAYS_MAX = 60;

const name = () =>
	z
		.string()
		.trim()
		.min(1, { error: () => m.admin_reports_error_name() })
		.max(80, { error: () => m.admin_reports_error_name() });

const CategorySchema = () =>
	z.object({
		nameNl: name(),
		nameEn: name(),
		responseDays: z
			.string()
			.trim()
			.refine((s) => s === '' || (/^\d{1,2}$/.test(s) && Number(s) >= 1 && Number(s) <= RESPONSE_DAYS_MAX), {
				error: () => m.admin_reports_error_days({ max: RESPONSE_DAYS_MAX })
			})
			.transform((s) => (s === '' ? null : Number(s)))
	});

const idField = z.coerce.number().int().positive().max(2_147_483_647);

function refusal(reason: ConfigRefusal): string {
	return reason === 'parent-is-sub' ? m.admin_reports_error_parent() : m.admin_reports_error_gone();
}

export const actions = {
	add: async (event) => {
		const actor = requirePermission(event, 'report.configure');
		const data = await event.request.formData();
		const values = formFields(data, ['nameNl', 'nameEn', 'responseDays', 'parentId']);
		const parsed = CategorySchema().safeParse(values);
		const parent = values.parentId === '' ? null : idField.safeParse(values.parentId);
		if (!parsed.success || (parent && !parent.success)) {
			const errors = parsed.success ? { form: m.admin_reports_error_gone() } : fieldErrors(parsed.error);
			return fail(400, { action: 'add', values, errors });
		}
		const result = await addCategory(getDb(), actor, { ...parsed.data, parentId: parent ? parent.data! : null });
		if (!result.ok) return fail(400, { action: 'add', values, errors: { form: refusal(result.reason) } });
		return { saved: m.admin_reports_added({ name: parsed.data.nameNl }) };
	},
	update: async (event) => {
		const actor = requirePermission(event, 'report.configure');
		const data = await event.request.formData();
		const values = formFields(data, ['id', 'nameNl', 'nameEn', 'responseDays']);
		const id = idField.safeParse(values.id);
		const parsed = CategorySchema().safeParse(values);
		if (!id.success) return fail(400, { action: 'update', values, errors: { form: m.admin_reports_error_gone() } });
		if (!parsed.success) return fail(400, { action: 'update', id: id.data, values, errors: fieldErrors(parsed.error) });
		const result = await updateCategory(getDb(), actor, id.data, parsed.data);
		if (!result.ok) return fail(400, { action: 'update', values, errors: { form: refusal(result.reason) } });
		return { saved: m.admin_reports_saved({ name: parsed.data.nameNl }) };
	},
	toggle: async (event) => {
		const actor = requirePermission(event, 'report.configure');
		const data = await event.request.formData();
		const id = idField.safeParse(data.get('id'));
		const active = data.get('active');
		if (!id.success || (active !== 'true' && active !== 'false')) return fail(400, { errors: { form: m.admin_reports_error_gone() } });
		const result = await setCategoryActive(getDb(), actor, id.data, active === 'true');
		if (!result.ok) return fail(400, { errors: { form: refusal(result.reason) } });
		return { saved: active === 'true' ? m.admin_reports_activated() : m.admin_reports_deactivated() };
	},
	move: async (event) => {
		const actor = requirePermission(event, 'report.configure');
		const data = await event.request.formData();
		const id = idField.safeParse(data.get('id'));
		const direction = data.get('direction');
		if (!id.success || (direction !== 'up' && direction !== 'down')) return fail(400, { errors: { form: m.admin_reports_error_gone() } });
		const result = await moveCategory(getDb(), actor, id.data, direction);
		if (!result.ok) return fail(400, { errors: { form: refusal(result.reason) } });
		return { saved: m.admin_reports_moved() };
	}
} satisfies Actions;

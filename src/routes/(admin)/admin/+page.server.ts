import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import * as m from '#lib/paraglide/messages.js';
import { getLocale } from '#lib/paraglide/runtime.js';
import { ROLES } from '#lib/domain/policy.js';
import { getDb } from '#server/db';
import { emailField, requirePermission, ensurePartnerOrganisation, inviteStaff, listPartnerOrganisations, listStaff } from '#server/auth';
import { fieldErrors, formFields } from '#server/http';
import { listAreaOptions } from '#server/plots';
import { logger } from '#server/logging';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	requirePermission(event, 'admin.users');
	const db = getDb();
	const [staff, partners, areas] = await Promise.all([
		listStaff(db),
		listPartnerOrganisations(db),
		listAreaOptions(db)
	]);
	return { staff, partners, areas, roles: ROLES };
}) satisfies PageServerLoad;

const InviteSchema = () =>
	z.object({
		email: emailField(),
		role: z.enum(ROLES, { error: () => m.auth_admin_error_role() }),
		neighbourhoodIds: z.array(z.coerce.number().int().positive()).default([]),
		districtCodes: z.array(z.string().trim().min(1).max(20)).default([]),
		partnerOrganisationId: z.coerce.number().int().positive().optional(),
		newPartnerName: z.string().trim().max(120).optional()
	});

export const actions = {
	/** Invite staff or change anyone's role: one form, keyed on the e-mail address. */
	role: async (event) => {
		const actor = requirePermission(event, 'admin.users');
		const data = await event.request.formData();
		const values = {
			...formFields(data, ['email', 'role']),
			neighbourhoodIds: data.getAll('neighbourhoodIds').map(String),
			districtCodes: data.getAll('districtCodes').map(String),
			partnerOrganisationId: String(data.get('partnerOrganisationId') ?? '') || undefined,
			newPartnerName: String(data.get('newPartnerName') ?? '') || undefined
		};
		const parsed = InviteSchema().safeParse(values);
		if (!parsed.success) return fail(400, { ...values, errors: fieldErrors(parsed.error) });
		const input = parsed.data;
		const db = getDb();
		let partnerOrganisationId = input.partnerOrganisationId ?? null;
		if (input.role === 'partner' && input.newPartnerName) {
			partnerOrganisationId = (await ensurePartnerOrganisation(db, input.newPartnerName)).id;
		}
		const result = await inviteStaff(
			db,
			actor,
			{ ...input, partnerOrganisationId },
			{ origin: event.url.origin, locale: getLocale() === 'en' ? 'en' : 'nl' }
		);
		if (!result.ok) {
			const message =
				result.reason === 'last-admin'
					? m.auth_admin_error_last_admin()
					: result.reason === 'scope-missing'
						? m.auth_admin_error_scope()
						: m.auth_admin_error_role();
			return fail(400, { ...values, errors: { form: message } });
		}
		// The audit row was written with the change (changeRole); the log line is for operators.
		logger.info({ event: 'role_changed', by: actor.id, userId: result.userId, role: input.role }, 'role changed');
		return { saved: true, email: input.email, role: input.role, created: result.created };
	}
} satisfies Actions;

import { describe, expect, it } from 'vitest';
import { can, canChangeRole, decide, rolesAllowed, ROLES, type Actor, type Role } from './policy';

function actor(role: Role, extra: Partial<Actor> = {}): Actor {
	return {
		id: `${role}-1`,
		role,
		emailVerified: true,
		neighbourhoodIds: [],
		districtCodes: [],
		partnerOrganisationId: null,
		...extra
	};
}

describe('policy', () => {
	it('sends anonymous visitors to sign in for every action', () => {
		expect(decide(null, 'account.own')).toBe('sign-in');
		expect(decide(null, 'manage.view')).toBe('sign-in');
		expect(decide(null, 'area.view', { neighbourhoodId: 1, districtCode: null })).toBe('sign-in');
	});

	it('lets only managers and admins into the manager area', () => {
		const allowed = ROLES.filter((r) => can(actor(r), 'manage.view'));
		expect(allowed).toEqual(['manager', 'admin']);
		expect(ROLES.filter((r) => can(actor(r), 'manage.end_adoption'))).toEqual(['manager', 'admin']);
	});

	it('names the roles a page is for, for the refusal page', () => {
		expect(rolesAllowed('manage.view')).toEqual(['manager', 'admin']);
		expect(rolesAllowed('admin.users')).toEqual(['admin']);
	});

	it('lets only admins manage staff', () => {
		expect(ROLES.filter((r) => can(actor(r), 'admin.users'))).toEqual(['admin']);
	});

	it('scopes a platform account to its own neighbourhoods and districts', () => {
		const platform = actor('platform', { neighbourhoodIds: [7], districtCodes: ['WK050301'] });
		expect(can(platform, 'area.view', { neighbourhoodId: 7, districtCode: null })).toBe(true);
		expect(can(platform, 'area.view', { neighbourhoodId: 8, districtCode: 'WK050301' })).toBe(true);
		expect(can(platform, 'area.view', { neighbourhoodId: 8, districtCode: 'WK050302' })).toBe(false);
		expect(can(actor('manager'), 'area.view', { neighbourhoodId: 8, districtCode: null })).toBe(true);
		expect(can(actor('resident'), 'area.view', { neighbourhoodId: 7, districtCode: null })).toBe(false);
	});

	it('scopes a partner account to its own organisation', () => {
		const partner = actor('partner', { partnerOrganisationId: 3 });
		expect(can(partner, 'partner.view', { partnerOrganisationId: 3 })).toBe(true);
		expect(can(partner, 'partner.view', { partnerOrganisationId: 4 })).toBe(false);
		expect(can(actor('partner'), 'partner.view', { partnerOrganisationId: 3 })).toBe(false);
	});

	it("keeps one resident's things from another", () => {
		const a = actor('resident', { id: 'a' });
		expect(can(a, 'resident.own', { ownerId: 'a' })).toBe(true);
		expect(can(a, 'resident.own', { ownerId: 'b' })).toBe(false);
		expect(can(a, 'resident.own', { ownerId: null })).toBe(false);
	});

	it('lets only the requester answer the question on their request, not staff or others', () => {
		expect(can(actor('resident', { id: 'a' }), 'adoption.answer', { requesterId: 'a' })).toBe(true);
		expect(can(actor('resident', { id: 'b' }), 'adoption.answer', { requesterId: 'a' })).toBe(false);
		expect(can(actor('manager', { id: 'm' }), 'adoption.answer', { requesterId: 'a' })).toBe(false);
		expect(can(actor('resident', { id: 'a' }), 'adoption.answer', { requesterId: null })).toBe(false);
	});

	it('lets only the invited, verified address join with a mailed invitation; anyone with a link invitation', () => {
		const invited = { invitedEmail: 'anna@voorbeeld.nl', accountEmail: 'anna@voorbeeld.nl' };
		expect(can(actor('resident'), 'team.join', invited)).toBe(true);
		expect(can(actor('resident'), 'team.join', { ...invited, accountEmail: 'Anna@Voorbeeld.nl' })).toBe(true);
		expect(can(actor('resident'), 'team.join', { ...invited, accountEmail: 'bert@voorbeeld.nl' })).toBe(false);
		expect(can(actor('resident', { emailVerified: false }), 'team.join', invited)).toBe(false);
		expect(can(actor('resident'), 'team.join', { invitedEmail: null, accountEmail: 'bert@voorbeeld.nl' })).toBe(true);
		expect(decide(null, 'team.join', { invitedEmail: null, accountEmail: '' })).toBe('sign-in');
	});

	it('lets only verified accounts post in public', () => {
		expect(can(actor('resident'), 'content.post')).toBe(true);
		expect(can(actor('resident', { emailVerified: false }), 'content.post')).toBe(false);
		expect(can(actor('resident'), 'adoption.request')).toBe(true);
		expect(can(actor('resident', { emailVerified: false }), 'adoption.request')).toBe(false);
	});

	it('lets only current, verified adopters log care', () => {
		for (const role of ROLES) expect(can(actor(role), 'activity.log', { isAdopter: true }), role).toBe(true);
		expect(can(actor('manager'), 'activity.log', { isAdopter: false })).toBe(false);
		expect(can(actor('resident', { emailVerified: false }), 'activity.log', { isAdopter: true })).toBe(false);
		expect(decide(null, 'activity.log', { isAdopter: true })).toBe('sign-in');
	});

	it('lets only the author change a care entry, and only within the edit window; not staff', () => {
		const author = actor('resident', { id: 'a' });
		expect(can(author, 'activity.change', { authorId: 'a', withinEditWindow: true })).toBe(true);
		expect(can(author, 'activity.change', { authorId: 'a', withinEditWindow: false })).toBe(false);
		expect(can(actor('resident', { id: 'b' }), 'activity.change', { authorId: 'a', withinEditWindow: true })).toBe(false);
		expect(can(actor('admin', { id: 'x' }), 'activity.change', { authorId: 'a', withinEditWindow: true })).toBe(false);
		// A deleted account's entry has no author any more: nobody changes it.
		expect(can(author, 'activity.change', { authorId: null, withinEditWindow: true })).toBe(false);
		expect(can(actor('resident', { id: 'a', emailVerified: false }), 'activity.change', { authorId: 'a', withinEditWindow: true })).toBe(false);
	});

	it('lets only managers and admins moderate what residents posted', () => {
		expect(ROLES.filter((r) => can(actor(r), 'manage.moderate'))).toEqual(['manager', 'admin']);
	});

	it('never leaves the platform without an admin', () => {
		const admin = actor('admin');
		expect(canChangeRole(admin, { id: admin.id, role: 'admin' }, 'resident', 1)).toEqual({
			ok: false,
			reason: 'last-admin'
		});
		expect(canChangeRole(admin, { id: admin.id, role: 'admin' }, 'resident', 2)).toEqual({ ok: true });
		expect(canChangeRole(actor('manager'), { id: 'x', role: 'resident' }, 'admin', 1)).toEqual({
			ok: false,
			reason: 'forbidden'
		});
	});
});

import * as m from '#lib/paraglide/messages.js';
import type { Role } from '#lib/domain/policy.js';

export function roleLabel(role: string): string {
	const labels: Record<Role, () => string> = {
		resident: m.auth_role_resident,
		manager: m.auth_role_manager,
		platform: m.auth_role_platform,
		partner: m.auth_role_partner,
		admin: m.auth_role_admin
	};
	return (labels as Record<string, () => string>)[role]?.() ?? role;
}

/** What kind of group adopts together; shown in public instead of the team's name (names can name people). */
export const TEAM_KINDS = ['household', 'street', 'school', 'association', 'work_experience'] as const;
export type TeamKind = (typeof TEAM_KINDS)[number];

/** An owner may invite and rename; every member may adopt for the team and log work. */
export const TEAM_ROLES = ['owner', 'member'] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

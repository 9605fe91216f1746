import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows, type Db, escapeLike } from '#server/db';

/**
 * Finding a team by name for direct assignment: a manager knows "Tuinclub De Hof", not its
 * number. Only what the manager needs to pick the right one (name, kind, member count).
 */

export interface TeamMatch {
	id: number;
	name: string;
	kind: string;
	members: number;
}

/** `?groep=` from the assignment page: trimmed, at most 100 characters, empty means no search. */
export const TeamQuerySchema = z.string().trim().max(100).catch('');

export const TEAM_MATCH_LIMIT = 20;

/**
 * Teams whose name contains `query` (any case), names starting with it first, then by name.
 * `more` says there were more than `limit` matches, so the manager types more of the name.
 */
export async function findTeams(
	db: Db,
	query: string,
	limit = TEAM_MATCH_LIMIT
): Promise<{ teams: TeamMatch[]; more: boolean }> {
	const text = query.trim();
	if (!text) return { teams: [], more: false };
	const rows = await queryRows<TeamMatch>(
		db,
		sql`SELECT t.id, t.name, t.kind,
				(SELECT count(*)::int FROM team_members m WHERE m.team_id = t.id) AS members
			FROM teams t
			WHERE t.name ILIKE ${`%${escapeLike(text)}%`}
			ORDER BY (t.name ILIKE ${`${escapeLike(text)}%`}) DESC, lower(t.name), t.id
			LIMIT ${limit + 1}`
	);
	return { teams: rows.slice(0, limit), more: rows.length > limit };
}

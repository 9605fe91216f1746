import { sql } from 'drizzle-orm';
import { ACTIVITY_EDIT_DAYS, seasonStart } from '#lib/domain/activity.js';
import type { PublicCare, PublicCareEntry, PublicCarePhoto } from '#lib/domain/care.js';
import { queryRows, type Db } from '#server/db';
import { mediaUrl } from '#server/media';

/**
 * A plot's care as anyone may see it: this season's figures, the last care date, a small
 * gallery and a timeline. Deleted entries, hidden notes and hidden photos are left out; a
 * name appears only where the author chose a display name (never an e-mail). Two queries,
 * each over the plot's part of activities_plot_done_idx, so the cost does not grow with the city.
 */

export const PUBLIC_CARE_TIMELINE = 20;
export const PUBLIC_CARE_GALLERY = 8;

export async function publicCare(
	db: Db,
	plotId: number,
	options: { viewerId?: string | null; now?: Date } = {}
): Promise<PublicCare> {
	const now = options.now ?? new Date();
	const viewerId = options.viewerId ?? null;
	const from = seasonStart(now);
	const [figures] = await queryRows<{ entries: number; minutes: number; lastDoneOn: string | null }>(
		db,
		sql`SELECT count(*) FILTER (WHERE x.done_on >= ${from})::int AS entries,
				coalesce(sum(x.minutes * x.people) FILTER (WHERE x.done_on >= ${from}), 0)::int AS minutes,
				max(x.done_on)::text AS "lastDoneOn"
			FROM activities x WHERE x.plot_id = ${plotId} AND x.deleted_at IS NULL`
	);
	const rows = await queryRows<Omit<PublicCareEntry, 'photos'> & { photos: (Omit<PublicCarePhoto, 'small' | 'large'> & { smallHash: string; largeHash: string })[] | null }>(
		db,
		sql`SELECT x.id, x.done_on::text AS "doneOn", x.tasks, x.other_task AS "otherTask", x.minutes, x.people,
				CASE WHEN x.note_hidden_at IS NULL THEN x.note END AS note,
				nullif(trim(u.display_name), '') AS "displayName", t.kind AS "teamKind",
				(${viewerId}::text IS NOT NULL AND x.author_user_id = ${viewerId}::text
					AND x.created_at >= ${now.toISOString()}::timestamptz - make_interval(days => ${ACTIVITY_EDIT_DAYS})) AS yours,
				(SELECT json_agg(json_build_object('id', ph.id, 'width', l.width, 'height', l.height,
						'smallHash', s.hash, 'largeHash', l.hash) ORDER BY ap.position, ap.photo_id)
					FROM activity_photos ap
					JOIN photos ph ON ph.id = ap.photo_id AND ph.hidden_at IS NULL
					JOIN photo_variants s ON s.photo_id = ph.id AND s.variant = 'small'
					JOIN photo_variants l ON l.photo_id = ph.id AND l.variant = 'large'
					WHERE ap.activity_id = x.id) AS photos
			FROM activities x
			LEFT JOIN users u ON u.id = x.author_user_id
			LEFT JOIN teams t ON t.id = x.team_id
			WHERE x.plot_id = ${plotId} AND x.deleted_at IS NULL
			ORDER BY x.done_on DESC, x.id DESC
			LIMIT ${PUBLIC_CARE_TIMELINE}`
	);
	const timeline = rows.map(({ photos, ...entry }) => ({
		...entry,
		photos: (photos ?? []).map(({ smallHash, largeHash, ...p }) => ({ ...p, small: mediaUrl(smallHash), large: mediaUrl(largeHash) }))
	}));
	return {
		season: { from, entries: figures?.entries ?? 0, minutes: figures?.minutes ?? 0 },
		lastDoneOn: figures?.lastDoneOn ?? null,
		timeline,
		gallery: timeline.flatMap((e) => e.photos).slice(0, PUBLIC_CARE_GALLERY)
	};
}

import { sql } from 'drizzle-orm';
import type { ReportPhotoKind, ReportState } from '#lib/domain/report.js';
import { queryRows, type Db } from '#server/db';
import { mediaUrl } from '#server/media';

/**
 * One report as the public sees it, and a person's own reports. The public sees what the
 * problem is, where (its plot and neighbourhood), when, how far it is and what the municipality
 * wrote about it; never who reported or supported it, nor the internal notes. The reporter sees
 * their own description and contact choice as well, and whether a question waits for them.
 */

export interface PublicReportStep {
	id: number;
	kind: string;
	fromState: ReportState | null;
	toState: ReportState | null;
	publicNote: string | null;
	/** Who acted, as a kind (municipality, partner, reporter, system): never a name. */
	by: 'manager' | 'partner' | 'reporter' | 'system';
	at: Date;
}

export interface PublicReportPhoto {
	id: number;
	kind: ReportPhotoKind;
	small: string;
	large: string;
	width: number;
	height: number;
}

export interface PublicReport {
	id: number;
	category: { nl: string; en: string };
	main: { nl: string; en: string } | null;
	state: ReportState;
	createdAt: Date;
	plotId: number | null;
	neighbourhoodName: string | null;
	lon: number;
	lat: number;
	supportCount: number;
	/** A merged duplicate points to the report it was merged into. */
	parentId: number | null;
	timeline: PublicReportStep[];
	photos: PublicReportPhoto[];
	/** Only for the reporter themselves. */
	own: { description: string; contactAllowed: boolean; questionOpen: boolean } | null;
	/** The viewer supports it already. */
	supported: boolean;
}

const STAFF_ROLES = ['manager', 'admin', 'platform'];

function byOf(role: string): PublicReportStep['by'] {
	if (role === 'partner') return 'partner';
	if (role === 'system') return 'system';
	if (STAFF_ROLES.includes(role)) return 'manager';
	return 'reporter';
}

/**
 * A confirmed report, or null (unknown, or still waiting for its link: nobody has seen it yet).
 * `viewerId` is the signed-in person; their own report shows them its details.
 */
export async function publicReport(db: Db, id: number, viewerId: string | null = null): Promise<PublicReport | null> {
	if (!Number.isSafeInteger(id) || id < 1 || id > 2_147_483_647) return null;
	const [r] = await queryRows<{
		id: number;
		state: ReportState;
		created_at: Date;
		plot_id: number | null;
		neighbourhood_name: string | null;
		lon: number;
		lat: number;
		support_count: number;
		parent_id: number | null;
		description: string;
		contact_allowed: boolean;
		reporter_user_id: string | null;
		cat_nl: string;
		cat_en: string;
		main_nl: string | null;
		main_en: string | null;
		supported: boolean;
	}>(
		db,
		sql`SELECT r.id, r.state, r.created_at, r.plot_id, n.name AS neighbourhood_name, ST_X(r.geom)::float8 AS lon, ST_Y(r.geom)::float8 AS lat,
			r.support_count, r.parent_id, r.description, r.contact_allowed, r.reporter_user_id,
			c.name_nl AS cat_nl, c.name_en AS cat_en, p.name_nl AS main_nl, p.name_en AS main_en,
			EXISTS (SELECT 1 FROM report_supports s WHERE s.report_id = r.id AND s.user_id = ${viewerId}::text) AS supported
		FROM reports r
		JOIN report_categories c ON c.id = r.category_id
		LEFT JOIN report_categories p ON p.id = c.parent_id
		LEFT JOIN neighbourhoods n ON n.id = r.neighbourhood_id
		WHERE r.id = ${id} AND r.confirmed_at IS NOT NULL`
	);
	if (!r) return null;
	const steps = await queryRows<{ id: number; kind: string; from_state: ReportState | null; to_state: ReportState | null; public_note: string | null; actor_role: string; created_at: Date }>(
		db,
		sql`SELECT id, kind, from_state, to_state, public_note, actor_role, created_at FROM report_history
		WHERE report_id = ${id} AND (kind = 'state' OR public_note IS NOT NULL)
		ORDER BY created_at, id`
	);
	const photos = await queryRows<{ id: number; kind: ReportPhotoKind; small: string; large: string; width: number; height: number }>(
		db,
		sql`SELECT ph.id, rp.kind, s.hash AS small, l.hash AS large, l.width, l.height
		FROM report_photos rp
		JOIN photos ph ON ph.id = rp.photo_id AND ph.hidden_at IS NULL
		JOIN photo_variants s ON s.photo_id = ph.id AND s.variant = 'small'
		JOIN photo_variants l ON l.photo_id = ph.id AND l.variant = 'large'
		WHERE rp.report_id = ${id}
		ORDER BY rp.kind DESC, rp.position, rp.photo_id`
	);
	const mine = viewerId !== null && r.reporter_user_id === viewerId;
	return {
		id: r.id,
		category: { nl: r.cat_nl, en: r.cat_en },
		main: r.main_nl ? { nl: r.main_nl, en: r.main_en ?? r.main_nl } : null,
		state: r.state,
		createdAt: new Date(r.created_at),
		plotId: r.plot_id,
		neighbourhoodName: r.neighbourhood_name,
		lon: Number(r.lon),
		lat: Number(r.lat),
		supportCount: r.support_count,
		parentId: r.parent_id,
		timeline: steps.map((s) => ({
			id: s.id,
			kind: s.kind,
			fromState: s.from_state,
			toState: s.to_state,
			publicNote: s.public_note,
			by: byOf(s.actor_role),
			at: new Date(s.created_at)
		})),
		photos: photos.map((p) => ({ id: p.id, kind: p.kind, small: mediaUrl(p.small), large: mediaUrl(p.large), width: p.width, height: p.height })),
		own: mine ? { description: r.description, contactAllowed: r.contact_allowed, questionOpen: r.state === 'info_requested' } : null,
		supported: Boolean(r.supported)
	};
}

export interface MyReport {
	id: number;
	category: { nl: string; en: string };
	state: ReportState;
	createdAt: Date;
	supportCount: number;
	/** 'reported': made by this person; 'supported': their "ik zie dit ook". */
	relation: 'reported' | 'supported';
	questionOpen: boolean;
}

/** "Mijn meldingen": what the person reported and what they support, newest first. */
export async function myReports(db: Db, userId: string, limit = 200): Promise<MyReport[]> {
	const rows = await queryRows<{ id: number; cat_nl: string; cat_en: string; state: ReportState; created_at: Date; support_count: number; relation: 'reported' | 'supported' }>(
		db,
		sql`SELECT r.id, c.name_nl AS cat_nl, c.name_en AS cat_en, r.state, r.created_at, r.support_count, x.relation
		FROM (
			SELECT id AS report_id, 'reported' AS relation, created_at AS at FROM reports WHERE reporter_user_id = ${userId}
			UNION ALL
			SELECT report_id, 'supported' AS relation, created_at AS at FROM report_supports WHERE user_id = ${userId} AND confirmed_at IS NOT NULL
		) x
		JOIN reports r ON r.id = x.report_id
		JOIN report_categories c ON c.id = r.category_id
		ORDER BY x.at DESC, r.id DESC
		LIMIT ${limit}`
	);
	return rows.map((r) => ({
		id: r.id,
		category: { nl: r.cat_nl, en: r.cat_en },
		state: r.state,
		createdAt: new Date(r.created_at),
		supportCount: r.support_count,
		relation: r.relation,
		questionOpen: r.relation === 'reported' && r.state === 'info_requested'
	}));
}

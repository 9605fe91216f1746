import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { upsertAccount } from '#server/auth';
import { queryRows, type Db } from '#server/db';
import { addPlot, square, type PlotFixture } from './plots-fixtures';

/**
 * Care log data for the manager's views, written with plain SQL: adopted plots and entries on
 * them, without the care log's own service (the tests of the manager's side must not depend
 * on how entries are written, only on what the table holds).
 */

let counter = 0;
const next = () => `${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 6)}`;

export async function careAdopter(db: Db, opts: { email?: string; displayName?: string } = {}): Promise<string> {
	const { id } = await upsertAccount(db, { email: opts.email ?? `adoptant-${next()}@voorbeeld.nl`, emailVerified: true });
	if (opts.displayName) await db.execute(sql`UPDATE users SET display_name = ${opts.displayName} WHERE id = ${id}`);
	return id;
}

export async function careTeam(db: Db, name: string, ownerId: string): Promise<number> {
	const [team] = await queryRows<{ id: number }>(db, sql`INSERT INTO teams (kind, name, created_by) VALUES ('association', ${name}, ${ownerId}) RETURNING id`);
	await db.execute(sql`INSERT INTO team_members (team_id, user_id, role) VALUES (${team.id}, ${ownerId}, 'owner')`);
	return team.id;
}

/** A plot (a small square near Delft unless `at` says otherwise) with a running adoption. */
export async function adoptedPlot(
	db: Db,
	opts: PlotFixture & { userId: string; teamId?: number; at?: [number, number] }
): Promise<{ plotId: number; adoptionId: number }> {
	const [lng, lat] = opts.at ?? [4.35 + Math.random() * 0.01, 52.0 + Math.random() * 0.01];
	const plotId = await addPlot(db, `zorg-${next()}`, square(lng, lat, 0.0002), opts);
	const [a] = await queryRows<{ id: number }>(
		db,
		sql`INSERT INTO adoptions (plot_id, user_id, team_id, status, started_at)
			VALUES (${plotId}, ${opts.userId}, ${opts.teamId ?? null}, 'active', now() - interval '400 days') RETURNING id`
	);
	return { plotId, adoptionId: a.id };
}

export interface EntryFixture {
	plotId: number;
	adoptionId: number;
	authorUserId: string | null;
	teamId?: number;
	doneOn: string;
	minutes?: number;
	people?: number;
	note?: string;
	deleted?: boolean;
}

export async function logCare(db: Db, e: EntryFixture): Promise<number> {
	const [row] = await queryRows<{ id: number }>(
		db,
		sql`INSERT INTO activities (plot_id, adoption_id, team_id, author_user_id, done_on, tasks, minutes, people, note, deleted_at)
			VALUES (${e.plotId}, ${e.adoptionId}, ${e.teamId ?? null}, ${e.authorUserId}, ${e.doneOn}::date, ARRAY['weeding'],
				${e.minutes ?? 30}, ${e.people ?? 1}, ${e.note ?? null}, ${e.deleted ? sql`now()` : null})
			RETURNING id`
	);
	return row.id;
}

/** An attached photo of an entry, with its two variants (a few bytes stand in for the image). */
export async function carePhoto(db: Db, activityId: number, ownerUserId: string): Promise<{ photoId: number; smallHash: string }> {
	const [photo] = await queryRows<{ id: number }>(
		db,
		sql`INSERT INTO photos (owner_user_id, status, width, height) VALUES (${ownerUserId}, 'attached', 1600, 1200) RETURNING id`
	);
	let smallHash = '';
	for (const variant of ['large', 'small'] as const) {
		const bytes = Buffer.from(`${variant}-${photo.id}-${next()}`);
		const hash = createHash('sha256').update(bytes).digest('hex');
		if (variant === 'small') smallHash = hash;
		await db.execute(
			sql`INSERT INTO photo_variants (photo_id, variant, hash, content_type, width, height, byte_size, bytes)
				VALUES (${photo.id}, ${variant}, ${hash}, 'image/webp', 400, 300, ${bytes.length}, ${bytes})`
		);
	}
	await db.execute(sql`INSERT INTO activity_photos (activity_id, photo_id, position) VALUES (${activityId}, ${photo.id}, 0)`);
	return { photoId: photo.id, smallHash };
}

/** A calendar day `days` before `day` (YYYY-MM-DD). */
export function daysBefore(day: string, days: number): string {
	const d = new Date(`${day}T12:00:00Z`);
	d.setUTCDate(d.getUTCDate() - days);
	return d.toISOString().slice(0, 10);
}

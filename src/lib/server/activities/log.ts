import { sql } from 'drizzle-orm';
import { z } from 'zod';
import * as m from '#lib/paraglide/messages.js';
import {
	ACTIVITY_MAX_MINUTES,
	ACTIVITY_MAX_PEOPLE,
	ACTIVITY_MAX_PHOTOS,
	ACTIVITY_NOTE_MAX,
	ACTIVITY_OTHER_TASK_MAX,
	ACTIVITY_TASKS,
	allowedDoneOn,
	checkDoneOn,
	tasksForPlotKind,
	withinEditWindow,
	type ActivityTask
} from '#lib/domain/activity.js';
import type { CareWork } from '#lib/domain/care.js';
import { can, type Actor } from '#lib/domain/policy.js';
import { pgErrorOf } from '#server/adoptions';
import { adoptionStatusSql, queryRows, type Db, type Tx } from '#server/db';
import { attachPhotos } from '#server/media';

/**
 * The adopter's side of the care log: logging work on a plot, and changing or deleting one's
 * own entry for a while. Every write runs in one transaction with its photos and, for a
 * change, the revision that keeps what was there before. Refusals are ActivityErrors with a
 * code the route turns into a sentence (./http.ts).
 */

export const ACTIVITY_ERROR_CODES = [
	'not-found',
	/** Not a current adopter of the plot (alone or through a team), or no verified e-mail. */
	'not-adopter',
	/** Not the author, or the edit window has passed. */
	'not-yours',
	'too-late',
	'future',
	'too-old',
	'before-adoption',
	/** A task the plot's kind has no place for. */
	'task-unfit',
	/** Photos that are not the person's own pending uploads (or this entry's). */
	'photos',
	/** The idempotency key belongs to someone else's entry. */
	'key-taken'
] as const;
export type ActivityErrorCode = (typeof ACTIVITY_ERROR_CODES)[number];

export class ActivityError extends Error {
	constructor(readonly code: ActivityErrorCode) {
		super(code);
		this.name = 'ActivityError';
	}
}

export function isActivityError(e: unknown): e is ActivityError {
	return e instanceof ActivityError;
}

/** What the form sends, checked. Messages are in the reader's language (zod at the boundary). */
export function activityInputSchema() {
	const whole = (min: number, max: number, message: () => string) =>
		z.coerce.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message });
	return z
		.object({
			tasks: z
				.array(z.enum(ACTIVITY_TASKS, { error: () => m.care_error_tasks() }), { error: () => m.care_error_tasks() })
				.min(1, { error: () => m.care_error_tasks() })
				.max(ACTIVITY_TASKS.length)
				.transform((tasks) => [...new Set(tasks)]),
			otherTask: z
				.string()
				.trim()
				.max(ACTIVITY_OTHER_TASK_MAX, { error: () => m.care_error_other_task({ max: ACTIVITY_OTHER_TASK_MAX }) })
				.default(''),
			doneOn: z.iso.date({ error: () => m.care_error_date() }),
			minutes: whole(1, ACTIVITY_MAX_MINUTES, () => m.care_error_minutes({ max: ACTIVITY_MAX_MINUTES })),
			people: whole(1, ACTIVITY_MAX_PEOPLE, () => m.care_error_people({ max: ACTIVITY_MAX_PEOPLE })),
			note: z
				.string()
				.trim()
				.max(ACTIVITY_NOTE_MAX, { error: () => m.care_error_note({ max: ACTIVITY_NOTE_MAX }) })
				.default(''),
			photoIds: z
				.array(z.coerce.number().int().positive().max(2_147_483_647), { error: () => m.care_error_photos() })
				.max(ACTIVITY_MAX_PHOTOS, { error: () => m.care_error_photo_count({ max: ACTIVITY_MAX_PHOTOS }) })
				.default([])
				.transform((ids) => [...new Set(ids)]),
			idempotencyKey: z.string().trim().min(8).max(100).regex(/^[\w-]+$/)
		})
		.superRefine((v, ctx) => {
			if (v.tasks.includes('other') && v.otherTask === '') {
				ctx.addIssue({ code: 'custom', path: ['otherTask'], message: m.care_error_other_task_missing() });
			}
		})
		.transform((v) => ({
			...v,
			otherTask: v.tasks.includes('other') ? v.otherTask : null,
			note: v.note === '' ? null : v.note
		}));
}
export type ActivityInput = z.output<ReturnType<typeof activityInputSchema>>;

/** A form's fields as the schema reads them: the checklist and the photo ids are repeated names. */
export function activityFormInput(data: FormData): Record<string, unknown> {
	const one = (name: string) => {
		const v = data.get(name);
		return typeof v === 'string' ? v : undefined;
	};
	const strings = (name: string) => data.getAll(name).filter((v): v is string => typeof v === 'string' && v !== '');
	return {
		tasks: strings('tasks'),
		otherTask: one('otherTask'),
		doneOn: one('doneOn'),
		minutes: one('minutes'),
		people: one('people'),
		note: one('note'),
		photoIds: strings('photoIds'),
		idempotencyKey: one('idempotencyKey')
	};
}

/** The adoption someone logs care under on a plot: their own first, else one of their teams'. */
interface CareAdoption {
	id: number;
	teamId: number | null;
	startedAt: Date | null;
}

interface CarePlot {
	id: number;
	kind: string | null;
	kindDetail: string | null;
}

async function plotOf(db: Db | Tx, plotId: number): Promise<CarePlot | null> {
	const [plot] = await queryRows<CarePlot>(
		db,
		sql`SELECT id, kind, kind_detail AS "kindDetail" FROM plots WHERE id = ${plotId} AND retired_at IS NULL`
	);
	return plot ?? null;
}

async function careAdoption(db: Db | Tx, plotId: number, userId: string): Promise<CareAdoption | null> {
	const [row] = await queryRows<CareAdoption>(
		db,
		sql`SELECT a.id, a.team_id AS "teamId", a.started_at AS "startedAt" FROM adoptions a
			WHERE a.plot_id = ${plotId} AND a.status = ${adoptionStatusSql('active')}
				AND ((a.team_id IS NULL AND a.user_id = ${userId})
					OR a.team_id IN (SELECT team_id FROM team_members WHERE user_id = ${userId}))
			ORDER BY (a.team_id IS NOT NULL), a.id LIMIT 1`
	);
	return row ? { ...row, startedAt: row.startedAt ? new Date(row.startedAt) : null } : null;
}

/** What the care form of a plot needs: who logs under which adoption, which tasks, which days. */
export interface CareForm {
	plotId: number;
	tasks: ActivityTask[];
	doneOn: { min: string; max: string };
	/** Null: the person is no current adopter of this plot. */
	adoption: { id: number; teamId: number | null } | null;
	allowed: boolean;
}

export async function careForm(db: Db, actor: Actor, plotId: number, now = new Date()): Promise<CareForm | null> {
	const plot = await plotOf(db, plotId);
	if (!plot) return null;
	const adoption = await careAdoption(db, plotId, actor.id);
	return {
		plotId,
		tasks: tasksForPlotKind(plot.kind, plot.kindDetail),
		doneOn: allowedDoneOn(now, adoption?.startedAt ?? null),
		adoption: adoption && { id: adoption.id, teamId: adoption.teamId },
		allowed: can(actor, 'activity.log', { isAdopter: adoption !== null })
	};
}

function checkTasks(plot: CarePlot, tasks: ActivityTask[]): void {
	const fit = tasksForPlotKind(plot.kind, plot.kindDetail);
	if (tasks.some((t) => !fit.includes(t))) throw new ActivityError('task-unfit');
}

function checkDate(doneOn: string, now: Date, startedAt: Date | null): void {
	const check = checkDoneOn(doneOn, now, startedAt);
	if (!check.ok) throw new ActivityError(check.reason);
}

async function byKey(db: Db | Tx, key: string): Promise<{ id: number; authorUserId: string | null } | null> {
	const [row] = await queryRows<{ id: number; authorUserId: string | null }>(
		db,
		sql`SELECT id, author_user_id AS "authorUserId" FROM activities WHERE idempotency_key = ${key}`
	);
	return row ?? null;
}

function answerFor(row: { id: number; authorUserId: string | null }, actor: Actor) {
	if (row.authorUserId !== actor.id) throw new ActivityError('key-taken');
	return { id: row.id, created: false };
}

/**
 * Logs care on a plot. The same idempotency key twice (a double tap, or a resend after the
 * answer was lost) makes one entry; the second call answers with that entry as if it had
 * made it (`created: false`).
 */
export async function logActivity(
	db: Db,
	actor: Actor,
	plotId: number,
	input: ActivityInput,
	now = new Date()
): Promise<{ id: number; created: boolean }> {
	const earlier = await byKey(db, input.idempotencyKey);
	if (earlier) return answerFor(earlier, actor);
	try {
		return await db.transaction(async (tx) => {
			const plot = await plotOf(tx, plotId);
			if (!plot) throw new ActivityError('not-found');
			const adoption = await careAdoption(tx, plotId, actor.id);
			if (!can(actor, 'activity.log', { isAdopter: adoption !== null }) || !adoption) throw new ActivityError('not-adopter');
			checkTasks(plot, input.tasks);
			checkDate(input.doneOn, now, adoption.startedAt);
			const [row] = await queryRows<{ id: number }>(
				tx,
				sql`INSERT INTO activities (plot_id, adoption_id, team_id, author_user_id, done_on, tasks, other_task,
						minutes, people, note, idempotency_key)
					VALUES (${plotId}, ${adoption.id}, ${adoption.teamId}, ${actor.id}, ${input.doneOn},
						${tasksArray(input.tasks)}, ${input.otherTask}, ${input.minutes}, ${input.people}, ${input.note},
						${input.idempotencyKey})
					RETURNING id`
			);
			await linkPhotos(tx, actor, row.id, input.photoIds, []);
			return { id: row.id, created: true };
		});
	} catch (e) {
		// Two sends at once: the second insert meets the first one's key.
		const pg = pgErrorOf(e);
		if (pg.code === '23505' && pg.constraint === 'activities_idempotency_uq') {
			const row = await byKey(db, input.idempotencyKey);
			if (row) return answerFor(row, actor);
		}
		throw e;
	}
}

export function tasksArray(tasks: readonly ActivityTask[]) {
	return sql`ARRAY[${sql.join(tasks.map((t) => sql`${t}`), sql`, `)}]::text[]`;
}

/** Attaches the new photos (the person's own pending uploads) and keeps `kept` in the new order. */
async function linkPhotos(tx: Tx, actor: Actor, activityId: number, photoIds: number[], current: number[]): Promise<void> {
	const fresh = photoIds.filter((id) => !current.includes(id));
	const gone = current.filter((id) => !photoIds.includes(id));
	if (fresh.length > 0) {
		const attached = await attachPhotos(tx, fresh, actor.id);
		if (!attached.ok) throw new ActivityError('photos');
	}
	if (gone.length > 0) {
		// A photo taken off its entry is never shown again: it goes, like any unused upload.
		await tx.execute(sql`DELETE FROM photos WHERE id IN (${sql.join(gone.map((id) => sql`${id}`), sql`, `)})`);
	}
	await tx.execute(sql`DELETE FROM activity_photos WHERE activity_id = ${activityId}`);
	for (const [position, photoId] of photoIds.entries()) {
		await tx.execute(
			sql`INSERT INTO activity_photos (activity_id, photo_id, position) VALUES (${activityId}, ${photoId}, ${position})`
		);
	}
}

/** An entry as its author sees it to change it. */
export interface OwnActivity extends CareWork {
	plotId: number;
	adoptionId: number;
	authorUserId: string | null;
	createdAt: Date;
	photos: { id: number; small: string | null }[];
	/** Whether its author may still change it now. */
	changeable: boolean;
	/** The first and last day it may be dated on when changed. */
	doneOnRange: { min: string; max: string };
	plotTasks: ActivityTask[];
}

async function activityRow(db: Db | Tx, activityId: number, lock = false) {
	const [row] = await queryRows<Omit<OwnActivity, 'photos' | 'changeable' | 'doneOnRange' | 'plotTasks'> & {
		startedAt: Date | null;
		kind: string | null;
		kindDetail: string | null;
	}>(
		db,
		sql`SELECT x.id, x.plot_id AS "plotId", x.adoption_id AS "adoptionId", x.author_user_id AS "authorUserId",
				x.done_on::text AS "doneOn", x.tasks, x.other_task AS "otherTask", x.minutes, x.people, x.note,
				x.created_at AS "createdAt", a.started_at AS "startedAt", p.kind, p.kind_detail AS "kindDetail"
			FROM activities x JOIN adoptions a ON a.id = x.adoption_id JOIN plots p ON p.id = x.plot_id
			WHERE x.id = ${activityId} AND x.deleted_at IS NULL
			${lock ? sql`FOR UPDATE OF x` : sql``}`
	);
	if (!row) return null;
	return { ...row, createdAt: new Date(row.createdAt), startedAt: row.startedAt ? new Date(row.startedAt) : null };
}

async function photoIdsOf(db: Db | Tx, activityId: number): Promise<number[]> {
	const rows = await queryRows<{ photoId: number }>(
		db,
		sql`SELECT photo_id AS "photoId" FROM activity_photos WHERE activity_id = ${activityId} ORDER BY position, photo_id`
	);
	return rows.map((r) => r.photoId);
}

/** The author's own entry for the edit page, or null when it is not theirs (or gone). */
export async function ownActivity(db: Db, actor: Actor, activityId: number, now = new Date()): Promise<OwnActivity | null> {
	const row = await activityRow(db, activityId);
	if (!row || row.authorUserId !== actor.id) return null;
	const photos = await queryRows<{ id: number; small: string | null }>(
		db,
		sql`SELECT ap.photo_id AS id, (SELECT '/media/' || v.hash FROM photo_variants v
				WHERE v.photo_id = ap.photo_id AND v.variant = 'small') AS small
			FROM activity_photos ap WHERE ap.activity_id = ${activityId} ORDER BY ap.position, ap.photo_id`
	);
	const { startedAt, kind, kindDetail, ...entry } = row;
	return {
		...entry,
		photos,
		changeable: can(actor, 'activity.change', { authorId: row.authorUserId, withinEditWindow: withinEditWindow(row.createdAt, now) }),
		doneOnRange: allowedDoneOn(now, startedAt),
		plotTasks: tasksForPlotKind(kind, kindDetail)
	};
}

/** What an entry was before a change, as its revision keeps it. */
function beforeOf(row: NonNullable<Awaited<ReturnType<typeof activityRow>>>, photoIds: number[]) {
	return {
		tasks: row.tasks,
		otherTask: row.otherTask,
		doneOn: row.doneOn,
		minutes: row.minutes,
		people: row.people,
		note: row.note,
		photoIds
	};
}

async function changeable(tx: Tx, actor: Actor, activityId: number, plotId: number | null, now: Date) {
	const row = await activityRow(tx, activityId, true);
	if (!row || (plotId !== null && row.plotId !== plotId)) throw new ActivityError('not-found');
	if (row.authorUserId !== actor.id) throw new ActivityError('not-yours');
	const within = withinEditWindow(row.createdAt, now);
	if (!can(actor, 'activity.change', { authorId: row.authorUserId, withinEditWindow: within })) {
		throw new ActivityError(within ? 'not-yours' : 'too-late');
	}
	return row;
}

/**
 * Changes one's own entry within ACTIVITY_EDIT_DAYS of writing it. The revision keeps what was
 * there before; the public sees only the entry as it is now. A date left as it was stays
 * allowed even when it has since become older than the fourteen days back a new date may be.
 */
export async function editActivity(
	db: Db,
	actor: Actor,
	activityId: number,
	input: Omit<ActivityInput, 'idempotencyKey'>,
	options: { plotId?: number; now?: Date } = {}
): Promise<void> {
	const now = options.now ?? new Date();
	await db.transaction(async (tx) => {
		const row = await changeable(tx, actor, activityId, options.plotId ?? null, now);
		checkTasks({ id: row.plotId, kind: row.kind, kindDetail: row.kindDetail }, input.tasks);
		if (input.doneOn !== row.doneOn) checkDate(input.doneOn, now, row.startedAt);
		const photoIds = await photoIdsOf(tx, activityId);
		await tx.execute(
			sql`INSERT INTO activity_revisions (activity_id, kind, actor_user_id, actor_role, before)
				VALUES (${activityId}, 'edit', ${actor.id}, 'resident', ${JSON.stringify(beforeOf(row, photoIds))}::jsonb)`
		);
		await tx.execute(
			sql`UPDATE activities SET done_on = ${input.doneOn}, tasks = ${tasksArray(input.tasks)}, other_task = ${input.otherTask},
					minutes = ${input.minutes}, people = ${input.people}, note = ${input.note}, updated_at = now()
				WHERE id = ${activityId}`
		);
		await linkPhotos(tx, actor, activityId, input.photoIds, photoIds);
	});
}

/** Deletes one's own entry within the edit window: kept for the history, gone from every public figure. */
export async function deleteActivity(
	db: Db,
	actor: Actor,
	activityId: number,
	options: { plotId?: number; now?: Date } = {}
): Promise<void> {
	const now = options.now ?? new Date();
	await db.transaction(async (tx) => {
		const row = await changeable(tx, actor, activityId, options.plotId ?? null, now);
		const photoIds = await photoIdsOf(tx, activityId);
		await tx.execute(
			sql`INSERT INTO activity_revisions (activity_id, kind, actor_user_id, actor_role, before)
				VALUES (${activityId}, 'delete', ${actor.id}, 'resident', ${JSON.stringify(beforeOf(row, photoIds))}::jsonb)`
		);
		await tx.execute(sql`UPDATE activities SET deleted_at = now(), updated_at = now() WHERE id = ${activityId}`);
	});
}

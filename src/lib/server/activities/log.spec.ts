import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { localDay } from '#lib/domain/activity.js';
import type { Actor } from '#lib/domain/policy.js';
import { upsertAccount } from '#server/auth';
import { getDb, queryRows } from '#server/db';
import { addPlot, square } from '#tests/integration/plots-fixtures.js';
import {
	activityInputSchema,
	deleteActivity,
	editActivity,
	isActivityError,
	logActivity,
	publicCare,
	type ActivityErrorCode,
	type ActivityInput
} from './index';

/**
 * The care log on the real database (both kinds): who may log, which days and tasks, one
 * entry per idempotency key, changes kept as revisions, and what the public sees of it all.
 */
let seq = 0;

async function person(displayName: string | null = null, emailVerified = true): Promise<Actor> {
	const { id } = await upsertAccount(getDb(), { email: `zorg-${++seq}-${randomUUID()}@voorbeeld.nl`, emailVerified });
	if (displayName) await getDb().execute(sql`UPDATE users SET display_name = ${displayName} WHERE id = ${id}`);
	return { id, role: 'resident', emailVerified, neighbourhoodIds: [], districtCodes: [], partnerOrganisationId: null };
}

async function plot(kindDetail: string | null = 'heesters'): Promise<number> {
	seq++;
	const id = await addPlot(getDb(), `zorg-${seq}-${randomUUID()}`, square(4.36 + seq * 0.001, 52.0, 0.0002), { kindDetail: kindDetail ?? undefined });
	await getDb().execute(sql`UPDATE plots SET max_adopters = 5 WHERE id = ${id}`);
	return id;
}

/** An active adoption begun `daysAgo` days back, alone or for a team. */
async function adopt(plotId: number, adopter: Actor, options: { daysAgo?: number; teamId?: number } = {}): Promise<number> {
	const ago = `${options.daysAgo ?? 60} days`;
	const [a] = await queryRows<{ id: number }>(
		getDb(),
		sql`INSERT INTO adoptions (plot_id, user_id, team_id, status, created_at, started_at)
			VALUES (${plotId}, ${adopter.id}, ${options.teamId ?? null}, 'active', now() - ${ago}::interval, now() - ${ago}::interval)
			RETURNING id`
	);
	return a.id;
}

async function team(members: Actor[]): Promise<number> {
	const [t] = await queryRows<{ id: number }>(getDb(), sql`INSERT INTO teams (name, kind) VALUES (${'Groep ' + ++seq}, 'street') RETURNING id`);
	for (const member of members) {
		await getDb().execute(sql`INSERT INTO team_members (team_id, user_id, role) VALUES (${t.id}, ${member.id}, 'member')`);
	}
	return t.id;
}

/** A pending photo of `owner`, with both variants (the media room's work, done by hand here). */
async function pendingPhoto(owner: Actor): Promise<number> {
	const [p] = await queryRows<{ id: number }>(
		getDb(),
		sql`INSERT INTO photos (owner_user_id, status, width, height) VALUES (${owner.id}, 'pending', 1600, 1200) RETURNING id`
	);
	for (const [variant, w] of [['large', 1600], ['small', 400]] as const) {
		const bytes = Buffer.from(`${p.id}-${variant}-${randomUUID()}`);
		const hash = createHash('sha256').update(bytes).digest('hex');
		await getDb().execute(
			sql`INSERT INTO photo_variants (photo_id, variant, hash, content_type, width, height, byte_size, bytes)
				VALUES (${p.id}, ${variant}, ${hash}, 'image/webp', ${w}, ${(w * 3) / 4}, ${bytes.length}, ${bytes})`
		);
	}
	return p.id;
}

const today = () => localDay(new Date());
const daysBack = (n: number) => localDay(new Date(Date.now() - n * 86_400_000));

function input(extra: Partial<Record<keyof ActivityInput, unknown>> = {}): ActivityInput {
	const parsed = activityInputSchema().safeParse({
		tasks: ['weeding'],
		doneOn: today(),
		minutes: '45',
		people: '2',
		note: 'Onkruid tussen de heesters weggehaald',
		idempotencyKey: randomUUID(),
		...extra
	});
	if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
	return parsed.data;
}

async function refused(promise: Promise<unknown>, code: ActivityErrorCode) {
	const e = await promise.then(
		() => null,
		(err: unknown) => err
	);
	expect(isActivityError(e) ? e.code : e).toBe(code);
}

async function count(activityIdOrPlot: { plotId: number }): Promise<number> {
	const [{ n }] = await queryRows<{ n: number }>(getDb(), sql`SELECT count(*)::int AS n FROM activities WHERE plot_id = ${activityIdOrPlot.plotId}`);
	return n;
}

describe('logging care', () => {
	it('refuses someone who does not adopt the plot, and an adopter without a verified e-mail', async () => {
		const plotId = await plot();
		const adopter = await person();
		await adopt(plotId, adopter);
		await refused(logActivity(getDb(), await person(), plotId, input()), 'not-adopter');
		const unverified = await person(null, false);
		await adopt(plotId, unverified);
		await refused(logActivity(getDb(), unverified, plotId, input()), 'not-adopter');
		// An ended adoption is no adoption.
		const former = await person();
		const a = await adopt(plotId, former);
		await getDb().execute(sql`UPDATE adoptions SET status = 'ended', ended_at = now() WHERE id = ${a}`);
		await refused(logActivity(getDb(), former, plotId, input()), 'not-adopter');
		await refused(logActivity(getDb(), adopter, 999_999, input()), 'not-found');
		expect(await count({ plotId })).toBe(0);
	});

	it('lets a team member log for the team: the entry counts for the team', async () => {
		const plotId = await plot();
		const writer = await person();
		const member = await person();
		const teamId = await team([writer, member]);
		const adoptionId = await adopt(plotId, writer, { teamId });
		const { id, created } = await logActivity(getDb(), member, plotId, input());
		expect(created).toBe(true);
		const [row] = await queryRows<{ teamId: number; adoptionId: number; author: string }>(
			getDb(),
			sql`SELECT team_id AS "teamId", adoption_id AS "adoptionId", author_user_id AS author FROM activities WHERE id = ${id}`
		);
		expect(row).toEqual({ teamId, adoptionId, author: member.id });
	});

	it('refuses the future, fifteen days back and days before the adoption', async () => {
		const plotId = await plot();
		const adopter = await person();
		await adopt(plotId, adopter);
		await refused(logActivity(getDb(), adopter, plotId, input({ doneOn: localDay(new Date(Date.now() + 2 * 86_400_000)) })), 'future');
		await refused(logActivity(getDb(), adopter, plotId, input({ doneOn: daysBack(15) })), 'too-old');
		expect((await logActivity(getDb(), adopter, plotId, input({ doneOn: daysBack(14) }))).created).toBe(true);

		const newPlot = await plot();
		const newcomer = await person();
		await adopt(newPlot, newcomer, { daysAgo: 3 });
		await refused(logActivity(getDb(), newcomer, newPlot, input({ doneOn: daysBack(5) })), 'before-adoption');
	});

	it('refuses tasks that do not fit the plot, and "other" without a word', async () => {
		const grass = await plot('gras- en kruidachtigen');
		const adopter = await person();
		await adopt(grass, adopter);
		await refused(logActivity(getDb(), adopter, grass, input({ tasks: ['pruning'] })), 'task-unfit');
		expect((await logActivity(getDb(), adopter, grass, input({ tasks: ['mowing', 'litter'] }))).created).toBe(true);

		const noWord = activityInputSchema().safeParse({ tasks: ['other'], doneOn: today(), minutes: 10, people: 1, idempotencyKey: randomUUID() });
		expect(noWord.success).toBe(false);
		expect(noWord.error?.issues[0].path).toEqual(['otherTask']);
		expect(noWord.error?.issues[0].message).toMatch(/anders/);
	});

	it('checks minutes, people, note and photos at the boundary, with sentences instead of a crash', () => {
		const schema = activityInputSchema();
		const base = { tasks: ['weeding'], doneOn: today(), minutes: 10, people: 1, idempotencyKey: randomUUID() };
		for (const bad of [
			{ minutes: 0 },
			{ minutes: 24 * 60 + 1 },
			{ minutes: 'veel' },
			{ people: 101 },
			{ people: 1.5 },
			{ note: 'x'.repeat(2001) },
			{ photoIds: ['1', '2', '3', '4', '5'] },
			{ tasks: ['dancing'] },
			{ tasks: [] },
			{ doneOn: '2026-02-30' },
			{ idempotencyKey: '<script>' }
		]) {
			const result = schema.safeParse({ ...base, ...bad });
			expect(result.success, JSON.stringify(bad)).toBe(false);
		}
		expect(schema.safeParse({ ...base, tasks: ['weeding', 'weeding'] }).data?.tasks).toEqual(['weeding']);
	});

	it('makes one entry from a double submit and answers the second as if it succeeded', async () => {
		const plotId = await plot();
		const adopter = await person();
		await adopt(plotId, adopter);
		const photo = await pendingPhoto(adopter);
		const same = input({ photoIds: [String(photo)] });
		const [a, b] = await Promise.all([logActivity(getDb(), adopter, plotId, same), logActivity(getDb(), adopter, plotId, same)]);
		expect(a.id).toBe(b.id);
		expect([a.created, b.created].sort()).toEqual([false, true]);
		// A resend after a lost answer, later on.
		expect(await logActivity(getDb(), adopter, plotId, same)).toEqual({ id: a.id, created: false });
		expect(await count({ plotId })).toBe(1);
		// Someone else's key is not theirs to answer with.
		const other = await person();
		await adopt(plotId, other);
		await refused(logActivity(getDb(), other, plotId, same), 'key-taken');
	});

	it("attaches only the person's own pending photos, all or none", async () => {
		const plotId = await plot();
		const adopter = await person();
		await adopt(plotId, adopter);
		const stranger = await person();
		const mine = await pendingPhoto(adopter);
		const theirs = await pendingPhoto(stranger);
		await refused(logActivity(getDb(), adopter, plotId, input({ photoIds: [String(mine), String(theirs)] })), 'photos');
		expect(await count({ plotId })).toBe(0);
		const [{ status }] = await queryRows<{ status: string }>(getDb(), sql`SELECT status FROM photos WHERE id = ${mine}`);
		expect(status).toBe('pending');
	});
});

describe('changing an entry', () => {
	it('keeps a revision of an edit, and the public sees only the current version', async () => {
		const plotId = await plot();
		const adopter = await person('Anja');
		await adopt(plotId, adopter);
		const photo = await pendingPhoto(adopter);
		const { id } = await logActivity(getDb(), adopter, plotId, input({ minutes: 30, people: 1, note: 'Eerste versie', photoIds: [String(photo)] }));
		await editActivity(getDb(), adopter, id, input({ minutes: 60, people: 3, note: 'Tweede versie', tasks: ['weeding', 'watering'], photoIds: [String(photo)] }));

		const revisions = await queryRows<{ kind: string; before: Record<string, unknown>; actorRole: string }>(
			getDb(),
			sql`SELECT kind, before, actor_role AS "actorRole" FROM activity_revisions WHERE activity_id = ${id} ORDER BY id`
		);
		expect(revisions).toEqual([
			{
				kind: 'edit',
				actorRole: 'resident',
				before: { tasks: ['weeding'], otherTask: null, doneOn: today(), minutes: 30, people: 1, note: 'Eerste versie', photoIds: [photo] }
			}
		]);
		const care = await publicCare(getDb(), plotId);
		expect(care.season.entries).toBe(1);
		expect(care.season.minutes).toBe(180);
		expect(care.lastDoneOn).toBe(today());
		expect(care.timeline).toMatchObject([{ id, note: 'Tweede versie', tasks: ['weeding', 'watering'], displayName: 'Anja' }]);
		expect(JSON.stringify(care)).not.toContain('Eerste versie');
		expect(care.gallery).toHaveLength(1);
		expect(care.gallery[0].small).toMatch(/^\/media\/[0-9a-f]{64}$/);
		expect(care.gallery[0].large).not.toBe(care.gallery[0].small);
	});

	it('refuses an edit on day 15, someone else, and a new date out of range', async () => {
		const plotId = await plot();
		const adopter = await person();
		await adopt(plotId, adopter);
		const { id } = await logActivity(getDb(), adopter, plotId, input());
		await refused(editActivity(getDb(), await person(), id, input()), 'not-yours');
		await refused(editActivity(getDb(), adopter, id, input({ doneOn: daysBack(20) })), 'too-old');
		await getDb().execute(sql`UPDATE activities SET created_at = now() - interval '15 days' WHERE id = ${id}`);
		await refused(editActivity(getDb(), adopter, id, input({ minutes: 5 })), 'too-late');
		await refused(deleteActivity(getDb(), adopter, id), 'too-late');
		const [{ n }] = await queryRows<{ n: number }>(getDb(), sql`SELECT count(*)::int AS n FROM activity_revisions WHERE activity_id = ${id}`);
		expect(n).toBe(0);
	});

	it('deleting hides the entry from every public figure and keeps a revision', async () => {
		const plotId = await plot();
		const adopter = await person();
		await adopt(plotId, adopter);
		const kept = await logActivity(getDb(), adopter, plotId, input({ doneOn: daysBack(3), minutes: 20, people: 1 }));
		const gone = await logActivity(getDb(), adopter, plotId, input({ minutes: 90, people: 2 }));
		await deleteActivity(getDb(), adopter, gone.id);
		const care = await publicCare(getDb(), plotId);
		expect(care.season.entries).toBe(1);
		expect(care.season.minutes).toBe(20);
		expect(care.lastDoneOn).toBe(daysBack(3));
		expect(care.timeline.map((e) => e.id)).toEqual([kept.id]);
		const [rev] = await queryRows<{ kind: string }>(getDb(), sql`SELECT kind FROM activity_revisions WHERE activity_id = ${gone.id}`);
		expect(rev.kind).toBe('delete');
		await refused(editActivity(getDb(), adopter, gone.id, input()), 'not-found');
	});
});

describe("a plot's public care", () => {
	it('says honestly when there is none', async () => {
		const care = await publicCare(getDb(), await plot());
		expect(care).toMatchObject({ season: { entries: 0, minutes: 0 }, lastDoneOn: null, timeline: [], gallery: [] });
	});

	it('leaves out hidden notes and hidden photos, and names only a chosen display name', async () => {
		const plotId = await plot();
		const adopter = await person();
		await adopt(plotId, adopter);
		const [p1, p2] = [await pendingPhoto(adopter), await pendingPhoto(adopter)];
		const { id } = await logActivity(getDb(), adopter, plotId, input({ note: 'Geheim briefje', photoIds: [String(p1), String(p2)] }));
		await getDb().execute(sql`UPDATE activities SET note_hidden_at = now(), note_hidden_reason = 'persoonlijk' WHERE id = ${id}`);
		await getDb().execute(sql`UPDATE photos SET hidden_at = now(), hidden_reason = 'gezicht' WHERE id = ${p1}`);
		const care = await publicCare(getDb(), plotId);
		const text = JSON.stringify(care);
		expect(text).not.toContain('Geheim briefje');
		expect(text).not.toContain('@voorbeeld.nl');
		expect(care.timeline[0]).toMatchObject({ note: null, displayName: null });
		expect(care.gallery.map((p) => p.id)).toEqual([p2]);
		expect(care.timeline[0].photos.map((p) => p.id)).toEqual([p2]);
	});

	it('reads a plot through its own index, not the whole table', async () => {
		// A busy plot next to a quiet one, so the planner has a choice to make.
		const adopter = await person();
		const [busy, quiet] = [await plot(), await plot()];
		const adoptionId = await adopt(busy, adopter);
		for (const [plotId, n] of [[busy, 3000], [quiet, 5]] as const) {
			await getDb().execute(
				sql`INSERT INTO activities (plot_id, adoption_id, author_user_id, done_on, tasks, minutes, people)
					SELECT ${plotId}, ${adoptionId}, ${adopter.id}, current_date - (g % 300), '{weeding}', 30, 1
					FROM generate_series(1, ${n}) g`
			);
		}
		await getDb().execute(sql`ANALYZE activities`);
		const rows = await queryRows<{ 'QUERY PLAN': string }>(
			getDb(),
			sql`EXPLAIN SELECT x.id FROM activities x WHERE x.plot_id = ${quiet} AND x.deleted_at IS NULL
				ORDER BY x.done_on DESC, x.id DESC LIMIT 20`
		);
		const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
		expect(plan, plan).toContain('activities_plot_done_idx');
		expect(plan, plan).not.toMatch(/Seq Scan/);
	});
});

import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getAuth, upsertAccount, updateProfile } from '#server/auth';
import { getDb, queryRows } from '#server/db';
import { sendMail } from '#server/mail';
import { deleteAccount, exportAccount, PRIVACY_SECTIONS } from '#server/privacy';

/**
 * "Download my data" and "delete my account", on the real database (both kinds).
 * Also the guard that keeps them complete as features add tables.
 */
const noSmtp = { smtpUrl: undefined, from: 'test@perkje.invalid' };
const password = 'privacy wachtwoord 123';

async function count(table: string, where: ReturnType<typeof sql>): Promise<number> {
	const [row] = await queryRows<{ n: number }>(getDb(), sql`select count(*)::int as n from ${sql.raw(table)} where ${where}`);
	return row.n;
}

async function person(email: string) {
	const db = getDb();
	const { id } = await upsertAccount(db, { email, password, emailVerified: true });
	await updateProfile(db, id, { displayName: 'Ann van de Hoek', locale: 'nl' });
	const auth = await getAuth();
	await auth.api.signInEmail({
		body: { email, password },
		headers: new Headers({ 'user-agent': 'Mozilla/5.0 (privacy test)' })
	});
	await sendMail(db, { to: email, userId: id, kind: 'auth_verify', subject: 'Bevestig', text: 'link' }, noSmtp);
	return id;
}

describe('privacy', () => {
	it('covers every table that refers to a user, and each lets the user row go', async () => {
		const refs = await queryRows<{ table: string; rule: string }>(
			getDb(),
			sql`select tc.table_name as "table", rc.delete_rule as rule
			    from information_schema.table_constraints tc
			    join information_schema.referential_constraints rc on rc.constraint_name = tc.constraint_name
			    join information_schema.constraint_column_usage ccu on ccu.constraint_name = rc.unique_constraint_name
			    where tc.constraint_type = 'FOREIGN KEY' and ccu.table_name = 'users'`
		);
		const covered = new Set(PRIVACY_SECTIONS.flatMap((s) => s.tables));
		expect(refs.length).toBeGreaterThan(0);
		const uncovered = refs.filter((r) => !covered.has(r.table)).map((r) => r.table);
		expect(uncovered, 'add a section to src/lib/server/privacy/sections.ts').toEqual([]);
		const blocking = refs.filter((r) => r.rule !== 'CASCADE' && r.rule !== 'SET NULL');
		expect(blocking, 'foreign keys to users must be ON DELETE CASCADE or SET NULL').toEqual([]);
	});

	it('exports everything about the account as JSON, without secrets', async () => {
		const id = await person('export@voorbeeld.nl');
		const exported = await exportAccount(getDb(), id);
		const data = exported.data as Record<string, any>;
		expect(exported.format).toBe('perkje-account-export');
		expect(Object.keys(data)).toEqual(PRIVACY_SECTIONS.map((s) => s.name));
		expect(data.profile).toMatchObject({ email: 'export@voorbeeld.nl', displayName: 'Ann van de Hoek', role: 'resident' });
		expect(data.profile.signInMethods).toEqual([expect.objectContaining({ method: 'credential' })]);
		expect(data.sessions).toEqual([expect.objectContaining({ userAgent: 'Mozilla/5.0 (privacy test)' })]);
		expect(data.mails).toEqual([expect.objectContaining({ kind: 'auth_verify' })]);
		const text = JSON.stringify(exported);
		expect(text).not.toMatch(/scrypt|password"\s*:|token/i);
	});

	it('deletes all personal data at once; contributions stay, without the person', async () => {
		const db = getDb();
		const id = await person('delete@voorbeeld.nl');
		const keep = await person('keep@voorbeeld.nl');
		// A stand-in for later features' contributions (adoptions, activities, reports).
		await db.execute(sql`create table test_contributions (
			id serial primary key, user_id text references users(id) on delete set null, what text not null)`);
		try {
			await db.execute(sql`insert into test_contributions (user_id, what) values (${id}, 'watered'), (${keep}, 'weeded')`);
			const auth = await getAuth();
			await auth.api.signInMagicLink({ body: { email: 'delete@voorbeeld.nl' }, headers: new Headers() });
			expect(await count('verifications', sql`value like '%delete@voorbeeld.nl%'`)).toBe(1);

			expect(await deleteAccount(db, id)).toBe(true);

			expect(await count('users', sql`id = ${id} or email = 'delete@voorbeeld.nl'`)).toBe(0);
			expect(await count('sessions', sql`user_id = ${id}`)).toBe(0);
			expect(await count('accounts', sql`user_id = ${id}`)).toBe(0);
			expect(await count('mail_outbox', sql`recipient = 'delete@voorbeeld.nl'`)).toBe(0);
			expect(await count('verifications', sql`value like '%delete@voorbeeld.nl%'`)).toBe(0);
			// The contribution is still counted, but belongs to nobody.
			expect(await count('test_contributions', sql`what = 'watered' and user_id is null`)).toBe(1);
			// Nobody else was touched.
			expect(await count('users', sql`id = ${keep}`)).toBe(1);
			expect(await count('sessions', sql`user_id = ${keep}`)).toBe(1);
			expect(await count('test_contributions', sql`user_id = ${keep}`)).toBe(1);
			// Deleting again is harmless.
			expect(await deleteAccount(db, id)).toBe(false);
		} finally {
			await db.execute(sql`drop table test_contributions`);
		}
	});
});

describe('privacy of the care log', () => {
	/** A plot adopted by `userId`, a care entry with a note, a changed version and a photo. */
	async function careOf(userId: string) {
		const db = getDb();
		const wkt = 'POLYGON((4.37 52.02, 4.3705 52.02, 4.3705 52.0205, 4.37 52.0205, 4.37 52.02))';
		const [plot] = await queryRows<{ id: number }>(
			db,
			sql`insert into plots (source_id, dataset, kind, area_m2, geom, label_point)
			    values (${'zorg-privacy-' + Math.random()}, 'test', 'groenvoorziening', 20, ST_Multi(ST_GeomFromText(${wkt}, 4326)),
			      ST_PointOnSurface(ST_GeomFromText(${wkt}, 4326))) returning id`
		);
		const [adoption] = await queryRows<{ id: number }>(
			db,
			sql`insert into adoptions (plot_id, user_id, status, started_at) values (${plot.id}, ${userId}, 'active', now()) returning id`
		);
		const [entry] = await queryRows<{ id: number }>(
			db,
			sql`insert into activities (plot_id, adoption_id, author_user_id, done_on, tasks, other_task, minutes, people, note)
			    values (${plot.id}, ${adoption.id}, ${userId}, current_date, '{weeding,other}', 'bankje geverfd', 40, 2,
			      'Samen met mijn buurvrouw Els') returning id`
		);
		const [photo] = await queryRows<{ id: number }>(
			db,
			sql`insert into photos (owner_user_id, status, width, height) values (${userId}, 'attached', 1600, 1200) returning id`
		);
		await db.execute(
			sql`insert into photo_variants (photo_id, variant, hash, content_type, width, height, byte_size, bytes)
			    values (${photo.id}, 'small', ${'a'.repeat(64)}, 'image/webp', 400, 300, 3, ${Buffer.from('abc')})`
		);
		await db.execute(sql`insert into activity_photos (activity_id, photo_id, position) values (${entry.id}, ${photo.id}, 0)`);
		await db.execute(
			sql`insert into activity_revisions (activity_id, kind, actor_user_id, actor_role, before)
			    values (${entry.id}, 'edit', ${userId}, 'resident', ${JSON.stringify({ note: 'Eerst schreef ik Els de Vries' })}::jsonb)`
		);
		return { entryId: entry.id, photoId: photo.id };
	}

	it('exports the entries, the changes made and the photos', async () => {
		const id = await person('zorg-export@voorbeeld.nl');
		const { entryId, photoId } = await careOf(id);
		const data = (await exportAccount(getDb(), id)).data as Record<string, any>;
		expect(data.care.entries).toEqual([
			expect.objectContaining({ id: entryId, note: 'Samen met mijn buurvrouw Els', otherTask: 'bankje geverfd', minutes: 40, people: 2, photoIds: [photoId] })
		]);
		expect(data.care.changesYouMade).toEqual([expect.objectContaining({ activityId: entryId, kind: 'edit', before: { note: 'Eerst schreef ik Els de Vries' } })]);
		expect(data.care.photos).toEqual([expect.objectContaining({ id: photoId, variants: { small: `/media/${'a'.repeat(64)}` } })]);
	});

	it('keeps the entries as anonymous contributions without the words, and removes the photos', async () => {
		const id = await person('zorg-delete@voorbeeld.nl');
		const { entryId, photoId } = await careOf(id);
		expect(await deleteAccount(getDb(), id)).toBe(true);
		const [entry] = await queryRows<Record<string, unknown>>(
			getDb(),
			sql`select author_user_id as author, note, other_task as "otherTask", minutes, people, tasks from activities where id = ${entryId}`
		);
		expect(entry).toEqual({ author: null, note: null, otherTask: null, minutes: 40, people: 2, tasks: ['weeding', 'other'] });
		const [revision] = await queryRows<Record<string, unknown>>(
			getDb(),
			sql`select actor_user_id as actor, before, kind from activity_revisions where activity_id = ${entryId}`
		);
		expect(revision).toEqual({ actor: null, before: null, kind: 'edit' });
		expect(await count('photos', sql`id = ${photoId}`)).toBe(0);
		expect(await count('photo_variants', sql`photo_id = ${photoId}`)).toBe(0);
		expect(await count('activity_photos', sql`activity_id = ${entryId}`)).toBe(0);
	});
});

describe('retention', () => {
	it('prunes ended sessions, expired tokens and old mails, and keeps the rest', async () => {
		const { pruneExpired } = await import('#server/privacy');
		const db = getDb();
		const id = await person('retention@voorbeeld.nl');
		await db.execute(sql`insert into sessions (id, token, user_id, expires_at) values ('old', 'old-token', ${id}, now() - interval '1 day')`);
		await db.execute(sql`insert into verifications (id, identifier, value, expires_at) values ('v-old', 'x', 'y', now() - interval '1 minute')`);
		await db.execute(sql`update mail_outbox set created_at = now() - interval '31 days' where recipient = 'retention@voorbeeld.nl'`);
		await sendMail(db, { to: 'retention@voorbeeld.nl', userId: id, kind: 'auth_reset', subject: 'Nieuw', text: 'link' }, noSmtp);
		await pruneExpired(db);
		expect(await count('sessions', sql`id = 'old'`)).toBe(0);
		expect(await count('sessions', sql`user_id = ${id}`)).toBe(1);
		expect(await count('verifications', sql`id = 'v-old'`)).toBe(0);
		expect(await count('mail_outbox', sql`recipient = 'retention@voorbeeld.nl'`)).toBe(1);
	});
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { sql as Sql } from 'drizzle-orm';
import type { Actor } from '#lib/domain/policy.js';
import { startDevApp, Visitor, type DevApp } from '../support/dev-app';
import { startTestMailbox, type TestMailbox } from '../support/test-smtp';

/**
 * The manager's side over real HTTP against the real app (both databases): the inbox and
 * its actions, direct assignment, capacity, not-adoptable, quiet adoptions — each refused
 * for residents, each with its audit row, and the resident's mails read from a real SMTP
 * server (sent by the app's own outbox worker).
 */
const password = 'beheer wachtwoord 2024';
let app: DevApp;
let mailbox: TestMailbox;
let sql: typeof Sql;
let db: { execute(q: unknown): Promise<unknown> };
const manager = new Visitor('');
const resident = new Visitor('');
const ids = { resA: '', resB: '', plots: [] as number[] };

type Rows<T> = { rows: T[] };
async function rows<T>(query: unknown): Promise<T[]> {
	return ((await db.execute(query)) as Rows<T>).rows;
}
const actorOf = (id: string): Actor => ({
	id,
	role: 'resident',
	emailVerified: true,
	neighbourhoodIds: [],
	districtCodes: [],
	partnerOrganisationId: null
});

interface Adoptions {
	requestAdoption(db: unknown, actor: Actor, input: { plotId: number; agreementVersion: number; idempotencyKey: string }): Promise<{ adoption: { id: number } }>;
	currentAgreement(db: unknown): Promise<{ version: number } | null>;
}
let adoptions: Adoptions;

async function request(userId: string, plotId: number): Promise<number> {
	const agreement = await adoptions.currentAgreement(db);
	const result = await adoptions.requestAdoption(db, actorOf(userId), {
		plotId,
		agreementVersion: agreement!.version,
		idempotencyKey: `k-${userId}-${plotId}-${Math.random()}`
	});
	return result.adoption.id;
}
async function statusOf(adoptionId: number): Promise<string> {
	const [row] = await rows<{ status: string }>(sql`select status from adoptions where id = ${adoptionId}`);
	return row.status;
}
async function audited(action: string, subjectId: number | string): Promise<number> {
	const [row] = await rows<{ n: number }>(
		sql`select count(*)::int as n from audit_log where action = ${action} and subject_id = ${String(subjectId)}`
	);
	return row.n;
}

beforeAll(async () => {
	mailbox = await startTestMailbox([4280, 4289]);
	app = await startDevApp({ SMTP_URL: mailbox.url, MAIL_FROM: 'Perkje <noreply@perkje.test>' }, [4280, 4299]);
	Object.assign(manager, new Visitor(app.url));
	Object.assign(resident, new Visitor(app.url));
	({ sql } = await app.load<typeof import('drizzle-orm')>('drizzle-orm'));
	const { getDb } = await app.load<{ getDb(): typeof db }>('/src/lib/server/db/index.ts');
	db = getDb();
	adoptions = await app.load<Adoptions>('/src/lib/server/adoptions/index.ts');
	const users = await app.load<{
		upsertAccount(db: unknown, input: Record<string, unknown>): Promise<{ id: string }>;
	}>('/src/lib/server/auth/users.ts');
	// The first request prepares the app (migrations on the fresh test database).
	await (await fetch(app.url + '/healthz')).arrayBuffer();
	await users.upsertAccount(db, { email: 'beheerder@gemeente.nl', password, emailVerified: true, role: 'manager' });
	ids.resA = (await users.upsertAccount(db, { email: 'anna@voorbeeld.nl', password, emailVerified: true })).id;
	ids.resB = (await users.upsertAccount(db, { email: 'bram@voorbeeld.nl', password, emailVerified: true })).id;
	const [n] = await rows<{ id: number }>(
		sql`insert into neighbourhoods (source_key, code, name, area_m2, geom, label_point)
		    values ('BU1', 'BU1', 'Hof van Delft', 1, ST_Multi(ST_GeomFromText('POLYGON((4.3 52, 4.4 52, 4.4 52.1, 4.3 52.1, 4.3 52))', 4326)),
		    ST_SetSRID(ST_MakePoint(4.35, 52.05), 4326)) returning id`
	);
	for (let i = 0; i < 7; i++) {
		const x = 4.31 + i * 0.001;
		const wkt = `POLYGON((${x} 52.01, ${x + 0.0005} 52.01, ${x + 0.0005} 52.0105, ${x} 52.0105, ${x} 52.01))`;
		const [p] = await rows<{ id: number }>(
			sql`insert into plots (source_id, dataset, kind, area_m2, neighbourhood_id, geom, label_point)
			    values (${'manage-' + i}, 'test', ${i < 6 ? 'groenvoorziening' : 'boomspiegel'}, 20, ${n.id},
			      ST_Multi(ST_GeomFromText(${wkt}, 4326)), ST_PointOnSurface(ST_GeomFromText(${wkt}, 4326))) returning id`
		);
		ids.plots.push(p.id);
	}
	for (const [visitor, email] of [[manager, 'beheerder@gemeente.nl'], [resident, 'anna@voorbeeld.nl']] as const) {
		const response = await visitor.post('/aanmelden?/password', { email, password });
		expect(response.status).toBe(303);
	}
}, 120_000);

afterAll(async () => {
	await app?.close();
	await mailbox?.close();
});

async function body(response: Response): Promise<string> {
	return response.text();
}

describe('manager inbox', () => {
	it('shows open requests with the plot outline and the requester, and refuses residents', async () => {
		const adoptionId = await request(ids.resA, ids.plots[0]);
		const page = await manager.get('/beheer');
		expect(page.status).toBe(200);
		const html = await body(page);
		expect(html).toContain('anna@voorbeeld.nl');
		expect(html).toContain(`Perk ${ids.plots[0]} (Hof van Delft)`);
		expect(html).toMatch(/<svg[^>]*class="manage-outline/);

		expect((await resident.get('/beheer')).status).toBe(403);
		const refused = await resident.post('/beheer?/approve', { adoptionId: String(adoptionId) });
		expect(refused.status).toBe(403);
		expect(await statusOf(adoptionId)).toBe('requested');
		// The neighbourhood filter and the age filter narrow the list.
		expect(await body(await manager.get('/beheer?ouder=7'))).not.toContain('anna@voorbeeld.nl');
	});

	it('approves a request: adopted, audited, and the resident gets a mail', async () => {
		const [{ id }] = await rows<{ id: number }>(sql`select id from adoptions where plot_id = ${ids.plots[0]}`);
		const since = mailbox.mails.length;
		const response = await manager.post('/beheer?/approve', { adoptionId: String(id) });
		expect(response.status).toBe(200);
		expect(await statusOf(id)).toBe('active');
		expect(await audited('adoption.approve', id)).toBe(1);
		const mail = await mailbox.waitFor('anna@voorbeeld.nl', { subject: /goedgekeurd/, since });
		expect(mail.body).toContain(`/plots/${ids.plots[0]}`);
		// And in the resident's own notification list, in the language of the page being read
		// (the account's language is Dutch; the mail followed that).
		expect(await body(await resident.get('/account/meldingen'))).toContain(`Uw adoptie van Perk ${ids.plots[0]}`);
		const english = await body(await resident.get('/en/account/meldingen'));
		expect(english).toContain(`Your adoption of Plot ${ids.plots[0]}`);
		expect(english).not.toContain('goedgekeurd');
	});

	it('rejects with a template reason and free text; the reason reaches the resident', async () => {
		const id = await request(ids.resB, ids.plots[1]);
		const missing = await manager.post('/beheer?/reject', { adoptionId: String(id), template: 'other', note: '' });
		expect(missing.status).toBe(400);
		expect(await statusOf(id)).toBe('requested');
		const since = mailbox.mails.length;
		const response = await manager.post('/beheer?/reject', { adoptionId: String(id), template: 'unsafe', note: 'Er komt hier een fietspad.' });
		expect(response.status).toBe(200);
		expect(await statusOf(id)).toBe('rejected');
		expect(await audited('adoption.reject', id)).toBe(1);
		const mail = await mailbox.waitFor('bram@voorbeeld.nl', { subject: /niet goedgekeurd/, since });
		expect(mail.body).toContain('niet veilig');
		expect(mail.body).toContain('fietspad');
	});

	it('asks a question (the request stays open), then bulk-approves in queue order', async () => {
		const first = await request(ids.resB, ids.plots[2]);
		const second = await request(ids.resA, ids.plots[1]);
		const since = mailbox.mails.length;
		const asked = await manager.post('/beheer?/question', { adoptionId: String(first), question: 'Heeft u een eigen gieter?' });
		expect(asked.status).toBe(200);
		expect(await statusOf(first)).toBe('requested');
		expect(await audited('adoption.question', first)).toBe(1);
		expect((await mailbox.waitFor('bram@voorbeeld.nl', { subject: /vraag/i, since })).body).toContain('eigen gieter');

		const bulk = await manager.post('/beheer?/bulk', { adoptionIds: [String(second), String(first)] });
		expect(bulk.status).toBe(200);
		expect(await statusOf(first)).toBe('active');
		expect(await statusOf(second)).toBe('active');
		expect(await audited('adoption.approve', first)).toBe(1);
		expect(await audited('adoption.approve', second)).toBe(1);
		// A full plot refuses a further approval: one more request on plot 0 stays waiting.
		const third = await request(ids.resB, ids.plots[0]);
		const refused = await manager.post('/beheer?/approve', { adoptionId: String(third) });
		expect(refused.status).toBe(409);
		expect(await body(refused)).toContain('geen vrije plaats');
		expect(await statusOf(third)).toBe('requested');
	});

	it('assigns a plot directly to a resident by e-mail, who is offered it', async () => {
		const unknown = await manager.post('/beheer/toewijzen', { plotId: String(ids.plots[3]), email: 'niemand@voorbeeld.nl', teamId: '', note: '' });
		expect(unknown.status).toBe(400);
		expect(await body(unknown)).toContain('geen account');
		const since = mailbox.mails.length;
		const response = await manager.post('/beheer/toewijzen', { plotId: String(ids.plots[3]), email: 'bram@voorbeeld.nl', teamId: '', note: 'Vlak bij uw huis.' });
		expect(response.status).toBe(200);
		const [a] = await rows<{ id: number; status: string }>(sql`select id, status from adoptions where plot_id = ${ids.plots[3]}`);
		expect(a.status).toBe('offered');
		expect(await audited('adoption.offer', a.id)).toBe(1);
		await mailbox.waitFor('bram@voorbeeld.nl', { subject: /adopteren\?/, since });
		expect((await resident.post('/beheer/toewijzen', { plotId: String(ids.plots[4]), email: 'anna@voorbeeld.nl' })).status).toBe(403);
	});

	it('sets capacity per plot and per kind, and marks a plot not adoptable and back', async () => {
		const plot = ids.plots[4];
		expect((await manager.post(`/beheer/perken/${plot}?/capacity`, { maxAdopters: '0' })).status).toBe(400);
		expect((await manager.post(`/beheer/perken/${plot}?/capacity`, { maxAdopters: '3' })).status).toBe(200);
		const [p] = await rows<{ max: number }>(sql`select max_adopters as max from plots where id = ${plot}`);
		expect(p.max).toBe(3);
		expect(await audited('plot.capacity', plot)).toBe(1);
		expect((await resident.post(`/beheer/perken/${plot}?/capacity`, { maxAdopters: '9' })).status).toBe(403);

		const kind = await manager.post('/beheer/capaciteit', { kind: 'boomspiegel', maxAdopters: '2' });
		expect(kind.status).toBe(200);
		const [k] = await rows<{ max: number }>(sql`select max_adopters as max from plots where id = ${ids.plots[6]}`);
		expect(k.max).toBe(2);
		expect(await audited('plot_kind.capacity', 'boomspiegel')).toBe(1);

		expect((await manager.post(`/beheer/perken/${plot}?/adoptable`, { adoptable: 'no', reason: '' })).status).toBe(400);
		expect((await manager.post(`/beheer/perken/${plot}?/adoptable`, { adoptable: 'no', reason: 'Wordt heringericht in 2027' })).status).toBe(200);
		const [off] = await rows<{ adoptable: boolean; reason: string }>(sql`select adoptable, not_adoptable_reason as reason from plots where id = ${plot}`);
		expect(off).toEqual({ adoptable: false, reason: 'Wordt heringericht in 2027' });
		expect(await body(await manager.get(`/beheer/perken/${plot}`))).toContain('Wordt heringericht in 2027');
		expect((await manager.post(`/beheer/perken/${plot}?/adoptable`, { adoptable: 'yes' })).status).toBe(200);
		const [on] = await rows<{ adoptable: boolean }>(sql`select adoptable from plots where id = ${plot}`);
		expect(on.adoptable).toBe(true);
		expect(await audited('plot.not_adoptable', plot)).toBe(1);
		expect(await audited('plot.adoptable', plot)).toBe(1);
	});

	it('lists quiet adoptions, nudges the adopter first, and ends one only when the manager decides', async () => {
		// An adoption that started 10 weeks ago with nothing since (inserted as history would be).
		const [a] = await rows<{ id: number }>(
			sql`insert into adoptions (plot_id, user_id, status, created_at, updated_at, started_at)
			    values (${ids.plots[5]}, ${ids.resA}, 'active', now() - interval '10 weeks', now() - interval '10 weeks', now() - interval '10 weeks')
			    returning id`
		);
		await db.execute(
			sql`insert into adoption_events (adoption_id, from_status, to_status, actor_role, created_at)
			    values (${a.id}, 'requested', 'active', 'manager', now() - interval '10 weeks')`
		);
		const list = await body(await manager.get('/beheer/stil?weken=8'));
		expect(list).toContain(`Perk ${ids.plots[5]}`);
		expect(list).not.toContain(`Perk ${ids.plots[0]} (`); // approved today: not quiet
		expect(list).toContain('nog geen herinnering');
		expect((await resident.post('/beheer/stil?/nudge', { adoptionId: String(a.id) })).status).toBe(403);

		const since = mailbox.mails.length;
		expect((await manager.post('/beheer/stil?/nudge&weken=8', { adoptionId: String(a.id) })).status).toBe(200);
		await mailbox.waitFor('anna@voorbeeld.nl', { subject: /Hoe gaat het/, since });
		expect(await audited('adoption.nudge', a.id)).toBe(1);
		expect(await statusOf(a.id)).toBe('active'); // a nudge never ends anything
		expect(await body(await manager.get('/beheer/stil?weken=8'))).toContain('herinnering gestuurd op');

		expect((await manager.post('/beheer/stil?/end', { adoptionId: String(a.id), reason: '' })).status).toBe(400);
		expect((await manager.post('/beheer/stil?/end', { adoptionId: String(a.id), reason: 'Geen reactie na herinnering' })).status).toBe(200);
		expect(await statusOf(a.id)).toBe('ended');
		expect(await audited('adoption.end', a.id)).toBe(1);
	});

	it("shows who adopts a plot on the manager's plot page and ends an adoption there once: audited, history, mail", async () => {
		const plot = ids.plots[0]; // adopted by Anna in the approval test above
		const [a] = await rows<{ id: number }>(sql`select id from adoptions where plot_id = ${plot} and status = 'active'`);
		const page = await body(await manager.get(`/beheer/perken/${plot}`));
		expect(page).toContain('Wie dit perk adopteert');
		expect(page).toContain('anna@voorbeeld.nl');
		expect(page).toContain('adopteert sinds');
		expect(page).toContain('Adoptie van anna@voorbeeld.nl beëindigen');

		const form = { adoptionId: String(a.id), reason: 'Het perk wordt heringericht' };
		expect((await resident.post(`/beheer/perken/${plot}?/end`, form)).status).toBe(403);
		// An adoption of another plot is not ended through this plot's form.
		expect((await manager.post(`/beheer/perken/${ids.plots[1]}?/end`, form)).status).toBe(400);
		expect((await manager.post(`/beheer/perken/${plot}?/end`, { ...form, reason: '' })).status).toBe(400);
		expect(await statusOf(a.id)).toBe('active');

		const since = mailbox.mails.length;
		expect((await manager.post(`/beheer/perken/${plot}?/end`, form)).status).toBe(200);
		expect(await statusOf(a.id)).toBe('ended');
		expect(await audited('adoption.end', a.id)).toBe(1);
		const [last] = await rows<{ to: string; role: string; reason: string }>(
			sql`select to_status as "to", actor_role as role, reason from adoption_events where adoption_id = ${a.id} order by id desc limit 1`
		);
		expect(last).toEqual({ to: 'ended', role: 'manager', reason: 'Het perk wordt heringericht' });
		// This plot's mail, not the quiet one's.
		const mail = await mailbox.waitFor('anna@voorbeeld.nl', { subject: new RegExp(`Perk ${plot} \\(.*beëindigd`), since });
		expect(mail.body).toContain('heringericht');
		// A second submit (a double tap) changes nothing: no second audit row, no second mail.
		const again = await manager.post(`/beheer/perken/${plot}?/end`, form);
		expect(again.status).toBe(409);
		expect(await audited('adoption.end', a.id)).toBe(1);
		const [{ n }] = await rows<{ n: number }>(
			sql`select count(*)::int as n from notifications where kind = 'adoption_ended' and user_id = ${ids.resA} and payload->>'plotId' = ${String(plot)}`
		);
		expect(n).toBe(1);
		expect(await body(await manager.get(`/beheer/perken/${plot}`))).toContain('Niemand adopteert dit perk op dit moment.');
	});

	it('refuses to approve a request whose requester no longer exists, with a message', async () => {
		const gone = await request(ids.resB, ids.plots[4]);
		await db.execute(sql`update adoptions set user_id = null where id = ${gone}`);
		const refused = await manager.post('/beheer?/approve', { adoptionId: String(gone) });
		expect(refused.status).toBe(409);
		expect(await body(refused)).toContain('het account van de aanvrager bestaat niet meer');
		expect(await statusOf(gone)).toBe('requested');
	});

	it('shows every action on the admin audit page (and nowhere for managers)', async () => {
		expect((await manager.get('/admin/audit')).status).toBe(403);
	});
});

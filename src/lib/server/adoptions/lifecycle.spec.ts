import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '#lib/domain/policy.js';
import { upsertAccount } from '#server/auth';
import { getDatabase, getDb, queryRows, openDatabase } from '#server/db';
import { getConfig } from '#server/config';
import { acceptInvite, createInviteLink, createTeam, inviteByEmail, inviteInfo, leaveTeam, teamDetail } from '#server/teams';
import { approveAdoption, cancelRequest, confirmOffer, currentAgreement, endAdoption, isAdoptionError, listMyPlots, offerAdoption, plotAdoptionSummary, publicTimeline, rejectAdoption, requestAdoption, type AdoptionErrorCode } from '#server/adoptions';
import { tileForPoint } from '#lib/geo/tiles.js';
import { TILESETS, renderInJavaScript } from '#server/tiles';
import { deleteAccount } from '#server/privacy';
import { addPlot, square } from '#tests/integration/plots-fixtures.js';
import { decodeTile } from '#tests/integration/tiles-fixtures.js';

/**
 * The adoption service on the real database (both kinds): lifecycle, capacity and queue,
 * double submits, teams, append-only history, what the map shows, and the capacity
 * invariant under many parallel writers.
 */
let version: number;
let plotSeq = 0;

async function person(email: string, role: Actor['role'] = 'resident', displayName: string | null = null): Promise<Actor> {
	const { id } = await upsertAccount(getDb(), { email, emailVerified: true, role });
	if (displayName) await getDb().execute(sql`UPDATE users SET display_name = ${displayName} WHERE id = ${id}`);
	return { id, role, emailVerified: true, neighbourhoodIds: [], districtCodes: [], partnerOrganisationId: null };
}

async function plot(maxAdopters = 1): Promise<number> {
	plotSeq++;
	const id = await addPlot(getDb(), `adopt-${plotSeq}`, square(4.35 + plotSeq * 0.001, 52.0, 0.0002));
	await getDb().execute(sql`UPDATE plots SET max_adopters = ${maxAdopters} WHERE id = ${id}`);
	return id;
}

let keySeq = 0;
const request = (actor: Actor, plotId: number, extra: { teamId?: number; key?: string; motivation?: string } = {}) =>
	requestAdoption(getDb(), actor, {
		plotId,
		teamId: extra.teamId,
		motivation: extra.motivation,
		agreementVersion: version,
		idempotencyKey: extra.key ?? `key-${++keySeq}`
	});

async function refused(promise: Promise<unknown>, code: AdoptionErrorCode) {
	const e = await promise.then(
		() => null,
		(err: unknown) => err
	);
	expect(isAdoptionError(e, code), `expected ${code}, got ${String(e)}`).toBe(true);
}

async function stateOf(plotId: number): Promise<string> {
	const { plotStateSql } = await import('#server/plots');
	const [row] = await queryRows<{ state: string }>(getDb(), sql`SELECT ${plotStateSql('p')} AS state FROM plots p WHERE p.id = ${plotId}`);
	return row.state;
}

async function events(adoptionId: number) {
	return queryRows<{ from: string | null; to: string; role: string; reason: string | null; actor: string | null }>(
		getDb(),
		sql`SELECT from_status AS "from", to_status AS "to", actor_role AS role, reason, actor_user_id AS actor
			FROM adoption_events WHERE adoption_id = ${adoptionId} ORDER BY id`
	);
}

/** The database's own message for a statement that must fail (drizzle wraps it in `cause`). */
async function databaseError(query: ReturnType<typeof sql>): Promise<string> {
	try {
		await getDb().execute(query);
	} catch (e) {
		const err = e as { message: string; cause?: { message?: string } };
		return err.cause?.message ?? err.message;
	}
	return 'no error';
}

let manager: Actor;
beforeAll(async () => {
	version = (await currentAgreement(getDb()))!.version;
	manager = await person('beheer@gemeente.test', 'manager');
});

describe('adoption lifecycle', () => {
	it('request → approve → active: the plot is adopted, history and mail written', async () => {
		const ann = await person('ann@voorbeeld.nl');
		const plotId = await plot();
		expect(await stateOf(plotId)).toBe('available');
		const { adoption, created, queuePosition } = await request(ann, plotId, { motivation: 'Ik woon ernaast' });
		expect([created, adoption.status, queuePosition, adoption.agreementVersion]).toEqual([true, 'requested', 1, version]);
		expect(await stateOf(plotId)).toBe('requested');

		await approveAdoption(getDb(), manager, adoption.id);
		expect(await stateOf(plotId)).toBe('adopted');
		expect((await listMyPlots(getDb(), ann.id)).map((a) => [a.plotId, a.status, a.actions])).toEqual([[plotId, 'active', ['end']]]);
		expect(await events(adoption.id)).toEqual([
			{ from: null, to: 'requested', role: 'resident', reason: null, actor: ann.id },
			{ from: 'requested', to: 'active', role: 'manager', reason: null, actor: manager.id }
		]);
		const mails = await queryRows<{ kind: string; status: string }>(
			getDb(),
			sql`SELECT kind, status FROM mail_outbox WHERE recipient = 'ann@voorbeeld.nl'`
		);
		expect(mails).toEqual([{ kind: 'adoption_approved', status: 'pending' }]);
		const audit = await queryRows<{ action: string }>(getDb(), sql`SELECT action FROM audit_log WHERE subject_id = ${String(adoption.id)}`);
		expect(audit.map((a) => a.action)).toEqual(['adoption.approve']);
	});

	it('reject with a reason: the resident is told why; a resident cannot approve', async () => {
		const bo = await person('bo@voorbeeld.nl');
		const plotId = await plot();
		const { adoption } = await request(bo, plotId);
		await refused(approveAdoption(getDb(), bo, adoption.id), 'not-found');
		await rejectAdoption(getDb(), manager, adoption.id, { reason: 'Hier komt een fietspad' });
		expect(await stateOf(plotId)).toBe('available');
		expect((await events(adoption.id)).at(-1)).toMatchObject({ to: 'rejected', reason: 'Hier komt een fietspad' });
		const [mail] = await queryRows<{ text: string }>(
			getDb(),
			sql`SELECT text_body AS text FROM mail_outbox WHERE recipient = 'bo@voorbeeld.nl' AND kind = 'adoption_rejected'`
		);
		expect(mail.text).toContain('Hier komt een fietspad');
		await refused(approveAdoption(getDb(), manager, adoption.id), 'wrong-status');
	});

	it('a double submit makes one request; a second request for the same plot is refused', async () => {
		const cas = await person('cas@voorbeeld.nl');
		const plotId = await plot();
		const [a, b] = await Promise.all([request(cas, plotId, { key: 'tap-1' }), request(cas, plotId, { key: 'tap-1' })]);
		expect(a.adoption.id).toBe(b.adoption.id);
		expect([a.created, b.created].sort()).toEqual([false, true]);
		await refused(request(cas, plotId, { key: 'tap-2' }), 'already-open');
		const [{ n }] = await queryRows<{ n: number }>(getDb(), sql`SELECT count(*)::int AS n FROM adoptions WHERE plot_id = ${plotId}`);
		expect(n).toBe(1);
	});

	it('refuses an outdated agreement and a plot that is not adoptable', async () => {
		const dé = await person('de@voorbeeld.nl');
		const plotId = await plot();
		await refused(
			requestAdoption(getDb(), dé, { plotId, agreementVersion: version - 1, idempotencyKey: 'old-agreement' }),
			'agreement-outdated'
		);
		await getDb().execute(sql`UPDATE plots SET adoptable = false WHERE id = ${plotId}`);
		await refused(request(dé, plotId), 'not-adoptable');
	});
});

describe('capacity and queue', () => {
	it('max 1: the second request waits; it moves up when the adoption ends', async () => {
		const [first, second, third] = await Promise.all([
			person('q1@voorbeeld.nl'),
			person('q2@voorbeeld.nl'),
			person('q3@voorbeeld.nl')
		]);
		const plotId = await plot(1);
		const r1 = await request(first, plotId);
		const r2 = await request(second, plotId);
		const r3 = await request(third, plotId);
		expect([r1.queuePosition, r2.queuePosition, r3.queuePosition]).toEqual([1, 2, 3]);
		await approveAdoption(getDb(), manager, r1.adoption.id);
		await refused(approveAdoption(getDb(), manager, r2.adoption.id), 'full');
		expect((await listMyPlots(getDb(), second.id))[0].queuePosition).toBe(1);
		expect((await listMyPlots(getDb(), third.id))[0].queuePosition).toBe(2);

		await endAdoption(getDb(), first, r1.adoption.id, { reason: 'Verhuisd' });
		expect(await stateOf(plotId)).toBe('requested');
		await refused(approveAdoption(getDb(), manager, r3.adoption.id), 'queue');
		await approveAdoption(getDb(), manager, r2.adoption.id);
		expect(await stateOf(plotId)).toBe('adopted');
		expect((await listMyPlots(getDb(), third.id))[0]).toMatchObject({ status: 'requested', queuePosition: 1 });
	});

	it('max 2: two adopters, the third waits; the plot is available again when the last one ends', async () => {
		const people = await Promise.all([person('m1@voorbeeld.nl'), person('m2@voorbeeld.nl'), person('m3@voorbeeld.nl')]);
		const plotId = await plot(2);
		const rs = [];
		for (const p of people) rs.push(await request(p, plotId));
		await approveAdoption(getDb(), manager, rs[0].adoption.id);
		await approveAdoption(getDb(), manager, rs[1].adoption.id);
		await refused(approveAdoption(getDb(), manager, rs[2].adoption.id), 'full');
		expect(await plotAdoptionSummary(getDb(), plotId, people[2].id)).toMatchObject({
			maxAdopters: 2,
			holding: 2,
			waiting: 1,
			mine: { status: 'requested', queuePosition: 1 }
		});
		await cancelRequest(getDb(), people[2], rs[2].adoption.id);
		await endAdoption(getDb(), manager, rs[0].adoption.id);
		expect(await stateOf(plotId)).toBe('adopted');
		await endAdoption(getDb(), people[1], rs[1].adoption.id);
		expect(await stateOf(plotId)).toBe('available');
		// A manager's end mails the adopter; ending your own does not.
		const kinds = await queryRows<{ kind: string; recipient: string }>(
			getDb(),
			sql`SELECT kind, recipient FROM mail_outbox WHERE kind = 'adoption_ended' AND recipient LIKE 'm%'`
		);
		expect(kinds).toEqual([{ kind: 'adoption_ended', recipient: 'm1@voorbeeld.nl' }]);
	});

	it('direct assignment reserves a place until the resident confirms', async () => {
		const eva = await person('eva@voorbeeld.nl');
		const fien = await person('fien@voorbeeld.nl');
		const plotId = await plot(1);
		const offer = await offerAdoption(getDb(), manager, { plotId, userId: eva.id, reason: 'Jij woont het dichtstbij' });
		expect(offer.status).toBe('offered');
		await refused(offerAdoption(getDb(), manager, { plotId, userId: fien.id }), 'full');
		await refused(confirmOffer(getDb(), fien, offer.id), 'not-found');
		await confirmOffer(getDb(), eva, offer.id);
		expect(await stateOf(plotId)).toBe('adopted');
		expect((await events(offer.id)).map((e) => e.to)).toEqual(['offered', 'active']);
	});

	it('the database refuses a write past capacity even without the service', async () => {
		const gijs = await person('gijs@voorbeeld.nl');
		const hans = await person('hans@voorbeeld.nl');
		const plotId = await plot(1);
		await getDb().execute(sql`INSERT INTO adoptions (plot_id, user_id, status) VALUES (${plotId}, ${gijs.id}, 'active')`);
		await expect(
			databaseError(sql`INSERT INTO adoptions (plot_id, user_id, status) VALUES (${plotId}, ${hans.id}, 'active')`)
		).resolves.toMatch(/is full/);
	});
});

describe('teams', () => {
	it('a team adopts as one: any member sees it and may end it', async () => {
		const owner = await person('team-owner@voorbeeld.nl');
		const member = await person('team-member@voorbeeld.nl');
		const outsider = await person('outsider@voorbeeld.nl');
		const teamId = await createTeam(getDb(), owner, { name: 'Buren van de Hof', kind: 'street' });
		const token = await createInviteLink(getDb(), owner, teamId);
		expect(await acceptInvite(getDb(), member, token)).toBe(teamId);
		await refused(request(outsider, await plot(), { teamId }), 'not-team-member');

		const plotId = await plot();
		const { adoption } = await request(owner, plotId, { teamId });
		await approveAdoption(getDb(), manager, adoption.id);
		const seen = await listMyPlots(getDb(), member.id);
		expect(seen.map((a) => [a.plotId, a.status, a.team?.name])).toEqual([[plotId, 'active', 'Buren van de Hof']]);
		const approvals = await queryRows<{ recipient: string }>(
			getDb(),
			sql`SELECT recipient FROM mail_outbox WHERE kind = 'adoption_approved' AND recipient LIKE 'team-%' ORDER BY recipient`
		);
		expect(approvals.map((m) => m.recipient)).toEqual(['team-member@voorbeeld.nl', 'team-owner@voorbeeld.nl']);
		await refused(endAdoption(getDb(), outsider, adoption.id), 'not-found');

		// The last member cannot walk away from an open adoption.
		await leaveTeam(getDb(), owner, teamId);
		await refused(leaveTeam(getDb(), member, teamId), 'last-member');
		await endAdoption(getDb(), member, adoption.id);
		await leaveTeam(getDb(), member, teamId);
	});
});

describe('team invitations', () => {
	it('a mailed invitation lets only the invited address join; a link invitation lets anyone join', async () => {
		const owner = await person('bound-owner@voorbeeld.nl');
		const invited = await person('bound-invited@voorbeeld.nl');
		const other = await person('bound-other@voorbeeld.nl');
		const teamId = await createTeam(getDb(), owner, { name: 'Hofje aan de gracht', kind: 'street' });
		await inviteByEmail(getDb(), owner, teamId, 'Bound-Invited@voorbeeld.nl', 'http://perkje.test');
		const [mail] = await queryRows<{ text: string }>(
			getDb(),
			sql`SELECT text_body AS text FROM mail_outbox WHERE recipient = 'bound-invited@voorbeeld.nl' AND kind = 'team_invite'`
		);
		const token = /\/groepen\/uitnodiging\/([A-Za-z0-9_-]+)/.exec(mail.text)![1];
		const members = async () => (await teamDetail(getDb(), owner.id, teamId))!.members.length;

		// Whoever got hold of the mail is told it is not theirs, and stays out.
		expect(await inviteInfo(getDb(), other, token)).toMatchObject({ teamId, mayJoin: false });
		await refused(acceptInvite(getDb(), other, token), 'invite-other-address');
		expect(await teamDetail(getDb(), other.id, teamId)).toBeNull();
		expect(await members()).toBe(1);
		// Nor does an unverified session of the invited address get in.
		await refused(acceptInvite(getDb(), { ...invited, emailVerified: false }, token), 'invite-other-address');
		// The refusals used nothing up: the invited account still joins.
		expect(await inviteInfo(getDb(), invited, token)).toMatchObject({ teamId, mayJoin: true });
		expect(await acceptInvite(getDb(), invited, token)).toBe(teamId);
		expect(await members()).toBe(2);

		// A link invitation is for anyone who has it, several times.
		const link = await createInviteLink(getDb(), owner, teamId);
		expect(await inviteInfo(getDb(), other, link)).toMatchObject({ mayJoin: true });
		expect(await acceptInvite(getDb(), other, link)).toBe(teamId);
		const late = await person('bound-late@voorbeeld.nl');
		expect(await acceptInvite(getDb(), late, link)).toBe(teamId);
		expect(await members()).toBe(4);
	});

	it('an e-mail invitation is mailed through the outbox and works once; the owner hands over on leaving', async () => {
		const owner = await person('inv-owner@voorbeeld.nl');
		const guest = await person('inv-guest@voorbeeld.nl');
		const third = await person('inv-third@voorbeeld.nl');
		const teamId = await createTeam(getDb(), owner, { name: 'Basisschool De Tuin', kind: 'school' });
		await refused(inviteByEmail(getDb(), guest, teamId, 'x@voorbeeld.nl', 'http://perkje.test'), 'not-found');
		await inviteByEmail(getDb(), owner, teamId, 'Inv-Guest@Voorbeeld.nl', 'http://perkje.test');
		const [mail] = await queryRows<{ text: string; status: string; subject: string }>(
			getDb(),
			sql`SELECT text_body AS text, status, subject FROM mail_outbox WHERE recipient = 'inv-guest@voorbeeld.nl' AND kind = 'team_invite'`
		);
		expect(mail).toMatchObject({ status: 'pending', subject: expect.stringContaining('Basisschool De Tuin') });
		const token = /\/groepen\/uitnodiging\/([A-Za-z0-9_-]+)/.exec(mail.text)![1];
		expect(await acceptInvite(getDb(), guest, token)).toBe(teamId);
		await refused(acceptInvite(getDb(), third, token), 'invite-invalid');
		// Only a hash of the token is stored.
		const stored = await queryRows(getDb(), sql`SELECT 1 FROM team_invites WHERE token_hash = ${token}`);
		expect(stored).toEqual([]);

		await leaveTeam(getDb(), owner, teamId);
		const detail = await teamDetail(getDb(), guest.id, teamId);
		expect(detail?.members).toEqual([{ label: 'i•••@voorbeeld.nl', role: 'owner', isMe: true }]);
		expect(await teamDetail(getDb(), owner.id, teamId)).toBeNull();
	});
});

describe('history and the public side', () => {
	it('deleting an account keeps the adoption and its history, without the person', async () => {
		const kim = await person('kim@voorbeeld.nl');
		const plotId = await plot();
		const { adoption } = await request(kim, plotId, { motivation: 'Mijn naam is Kim Jansen' });
		await approveAdoption(getDb(), manager, adoption.id);
		await endAdoption(getDb(), kim, adoption.id, { reason: 'Kim verhuist naar Leiden' });
		expect(await deleteAccount(getDb(), kim.id)).toBe(true);
		const [row] = await queryRows<{ userId: string | null; motivation: string | null; status: string }>(
			getDb(),
			sql`SELECT user_id AS "userId", motivation, status FROM adoptions WHERE id = ${adoption.id}`
		);
		expect(row).toEqual({ userId: null, motivation: null, status: 'ended' });
		expect(await events(adoption.id)).toEqual([
			{ from: null, to: 'requested', role: 'resident', reason: null, actor: null },
			{ from: 'requested', to: 'active', role: 'manager', reason: null, actor: manager.id },
			{ from: 'active', to: 'ended', role: 'resident', reason: null, actor: null }
		]);
	});

	it('deleting an account withdraws its requests and ends its adoptions, as new history rows; places are free', async () => {
		const leaver = await person('vertrekt@voorbeeld.nl');
		const next = await person('volgende@voorbeeld.nl');
		const waitingPlot = await plot();
		const adoptedPlot = await plot();
		const offeredPlot = await plot();
		const { adoption: waiting } = await request(leaver, waitingPlot);
		const { adoption: adopted } = await request(leaver, adoptedPlot);
		await approveAdoption(getDb(), manager, adopted.id);
		const offered = await offerAdoption(getDb(), manager, { plotId: offeredPlot, userId: leaver.id });
		const { adoption: queued } = await request(next, adoptedPlot);
		expect(await stateOf(adoptedPlot)).toBe('adopted');

		expect(await deleteAccount(getDb(), leaver.id)).toBe(true);
		const statuses = await queryRows<{ id: number; status: string }>(
			getDb(),
			sql`SELECT id, status FROM adoptions WHERE id IN (${waiting.id}, ${adopted.id}, ${offered.id}) ORDER BY id`
		);
		expect(statuses.map((r) => r.status)).toEqual(['cancelled', 'ended', 'cancelled']);
		// History appended, never edited: the earlier rows stay as they were.
		expect(await events(adopted.id)).toEqual([
			{ from: null, to: 'requested', role: 'resident', reason: null, actor: null },
			{ from: 'requested', to: 'active', role: 'manager', reason: null, actor: manager.id },
			{ from: 'active', to: 'ended', role: 'system', reason: null, actor: null }
		]);
		expect((await events(waiting.id)).at(-1)).toMatchObject({ from: 'requested', to: 'cancelled', role: 'system' });
		// The freed place goes to the next in line; the other plots are free again.
		expect(await stateOf(waitingPlot)).toBe('available');
		expect(await stateOf(offeredPlot)).toBe('available');
		await approveAdoption(getDb(), manager, queued.id);
		expect(await stateOf(adoptedPlot)).toBe('adopted');
	});

	it('a manager cannot approve a request whose requester no longer exists', async () => {
		const plotId = await plot();
		const ghost = await person('spook@voorbeeld.nl');
		const { adoption } = await request(ghost, plotId);
		// As a request from before deletions withdrew requests: the person gone, the request open.
		await getDb().execute(sql`UPDATE adoptions SET user_id = NULL WHERE id = ${adoption.id}`);
		await refused(approveAdoption(getDb(), manager, adoption.id), 'requester-gone');
		const [row] = await queryRows<{ status: string }>(getDb(), sql`SELECT status FROM adoptions WHERE id = ${adoption.id}`);
		expect(row.status).toBe('requested');
		expect(await stateOf(plotId)).not.toBe('adopted');
		// Rejecting it still works, so the manager can clear it from the inbox.
		await rejectAdoption(getDb(), manager, adoption.id, { reason: 'Account bestaat niet meer' });
	});

	it('history rows cannot be edited or deleted', async () => {
		const ida = await person('ida@voorbeeld.nl');
		const { adoption } = await request(ida, await plot());
		await expect(databaseError(sql`UPDATE adoption_events SET to_status = 'active' WHERE adoption_id = ${adoption.id}`)).resolves.toMatch(/append-only/);
		await expect(databaseError(sql`DELETE FROM adoption_events WHERE adoption_id = ${adoption.id}`)).resolves.toMatch(/append-only/);
		expect(await events(adoption.id)).toHaveLength(1);
	});

	it('the public timeline shows no names, except a display name the resident chose', async () => {
		const anon = await person('anoniem@voorbeeld.nl');
		const named = await person('named@voorbeeld.nl', 'resident', 'Tuinfee');
		const plotId = await plot(2);
		const a = await request(anon, plotId);
		const b = await request(named, plotId);
		await approveAdoption(getDb(), manager, a.adoption.id);
		await rejectAdoption(getDb(), manager, b.adoption.id, { reason: 'geheime reden' });
		const timeline = await publicTimeline(getDb(), plotId);
		expect(timeline.map((t) => [t.to, t.displayName])).toEqual([
			['active', null],
			['requested', 'Tuinfee'],
			['requested', null]
		]);
		expect(JSON.stringify(timeline)).not.toMatch(/voorbeeld\.nl|geheime reden/);
	});

	it('the map tile shows the plot as adopted, and the tile cache key changes', async () => {
		const jan = await person('jan@voorbeeld.nl');
		const plotId = await plot();
		const [{ lng, lat }] = await queryRows<{ lng: number; lat: number }>(
			getDb(),
			sql`SELECT ST_X(label_point) AS lng, ST_Y(label_point) AS lat FROM plots WHERE id = ${plotId}`
		);
		const tile = tileForPoint(lng, lat, 16);
		const stateInTile = async () => {
			const layers = decodeTile((await renderInJavaScript(getDb(), TILESETS.plots, tile))!, tile);
			return layers.plots.features.find((f) => f.id === plotId)?.properties.state;
		};
		const version = async () =>
			(await queryRows<{ v: number }>(getDb(), sql`SELECT version AS v FROM data_versions WHERE name = 'adoptions'`))[0].v;
		expect(await stateInTile()).toBe('available');
		const before = await version();
		const { adoption } = await request(jan, plotId);
		await approveAdoption(getDb(), manager, adoption.id);
		expect(await stateInTile()).toBe('adopted');
		expect(await version()).toBeGreaterThan(before);
	});
});

describe('capacity under load', () => {
	it('never exceeds max_adopters with 30 parallel requests, 60 parallel approvals, 30 offers and 30 raw updates over separate connections', async () => {
		const database = getDatabase();
		const plotId = await plot(2);
		const people = [];
		for (let i = 0; i < 30; i++) people.push(await person(`load${i}@voorbeeld.nl`));
		// A second pool: on PostgreSQL these are real separate connections racing for the plot.
		const config = getConfig().db;
		const other =
			database.kind === 'postgres'
				? openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, holder: 'load test', maxConnections: 20 })
				: null;
		const dbs = other ? [getDb(), other.db] : [getDb()];
		try {
			const requests = await Promise.all(
				people.map((p, i) =>
					requestAdoption(dbs[i % dbs.length], p, {
						plotId,
						agreementVersion: version,
						idempotencyKey: `load-${i}`
					})
				)
			);
			const ids = requests.map((r) => r.adoption.id);
			// Everyone approves everyone at once; twice each, from both pools.
			const outcomes = await Promise.allSettled(
				[...ids, ...ids].map((id, i) => approveAdoption(dbs[i % dbs.length], manager, id))
			);
			const ok = outcomes.filter((o) => o.status === 'fulfilled').length;
			const unexpected = outcomes.filter(
				(o) => o.status === 'rejected' && !isAdoptionError(o.reason, 'full') && !isAdoptionError(o.reason, 'queue') && !isAdoptionError(o.reason, 'wrong-status')
			);
			expect(unexpected).toEqual([]);
			const [{ n }] = await queryRows<{ n: number }>(
				getDb(),
				sql`SELECT count(*)::int AS n FROM adoptions WHERE plot_id = ${plotId} AND status = 'active'`
			);
			expect(n).toBe(2);
			expect(ok).toBe(2);

			// Direct assignments skip the queue, so only the plot lock (and the trigger) stand
			// between 30 parallel offers and a second plot's two places.
			const offered = await plot(2);
			const offers = await Promise.allSettled(
				people.map((p, i) => offerAdoption(dbs[i % dbs.length], manager, { plotId: offered, userId: p.id }))
			);
			expect(offers.filter((o) => o.status === 'rejected' && !isAdoptionError(o.reason, 'full'))).toEqual([]);
			expect(offers.filter((o) => o.status === 'fulfilled').length).toBe(2);

			// Writers that skip the service (and its lock) still cannot pass capacity: the trigger
			// locks the plot row itself. 30 raw updates at once, spread over both pools.
			await getDb().execute(sql`UPDATE plots SET max_adopters = 3 WHERE id = ${plotId}`);
			const raw = await Promise.allSettled(
				ids.map((id, i) => dbs[i % dbs.length].execute(sql`UPDATE adoptions SET status = 'active' WHERE id = ${id} AND status = 'requested'`))
			);
			expect(raw.filter((o) => o.status === 'fulfilled').length).toBeGreaterThan(0);
			const [{ n: after }] = await queryRows<{ n: number }>(
				getDb(),
				sql`SELECT count(*)::int AS n FROM adoptions WHERE plot_id = ${plotId} AND status = 'active'`
			);
			expect(after).toBe(3);
		} finally {
			await other?.close();
		}
	}, 120_000);
});

import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '#lib/domain/policy.js';
import { upsertAccount } from '#server/auth';
import { getDb, queryRows } from '#server/db';
import { answerQuestion, currentAgreement, isAdoptionError, listMyPlots, publicTimeline, requestAdoption, type AdoptionErrorCode, askQuestion, listInbox } from '#server/adoptions';
import { parseInboxFilter } from '#lib/domain/inbox-filter.js';
import { createTeam, createInviteLink, acceptInvite } from '#server/teams';
import { addPlot, square } from '#tests/integration/plots-fixtures.js';

/**
 * A manager's question on a waiting request and the requester's answer, on the real
 * database: what the resident sees on Mijn perken, what the manager sees in the inbox, who
 * may answer, and that a double submit adds nothing. History is appended, never edited.
 */
let version: number;
let manager: Actor;
let seq = 0;

async function person(email: string, role: Actor['role'] = 'resident'): Promise<Actor> {
	const { id } = await upsertAccount(getDb(), { email, emailVerified: true, role });
	return { id, role, emailVerified: true, neighbourhoodIds: [], districtCodes: [], partnerOrganisationId: null };
}

/** A fresh plot and a request for it by `who` (alone, or for a team). */
async function requested(who: Actor, teamId?: number): Promise<{ plotId: number; adoptionId: number }> {
	seq++;
	const plotId = await addPlot(getDb(), `question-${seq}`, square(4.33 + seq * 0.001, 52.02, 0.0002));
	const { adoption } = await requestAdoption(getDb(), who, { plotId, teamId, agreementVersion: version, idempotencyKey: `question-${seq}` });
	return { plotId, adoptionId: adoption.id };
}

async function refused(promise: Promise<unknown>, code: AdoptionErrorCode) {
	const e = await promise.then(() => null, (err: unknown) => err);
	expect(isAdoptionError(e, code), `expected ${code}, got ${String(e)}`).toBe(true);
}

const answers = (adoptionId: number) =>
	queryRows<{ text: string; actor: string | null; role: string; from: string; to: string }>(
		getDb(),
		sql`SELECT reason AS text, actor_user_id AS actor, actor_role AS role, from_status AS "from", to_status AS "to"
			FROM adoption_events WHERE adoption_id = ${adoptionId} AND kind = 'answer' ORDER BY id`
	);

async function inboxItem(adoptionId: number) {
	const page = await listInbox(getDb(), parseInboxFilter(new URLSearchParams('per=100')));
	return page.items.find((i) => i.adoptionId === adoptionId)!;
}

async function mine(who: Actor, adoptionId: number) {
	return (await listMyPlots(getDb(), who.id)).find((a) => a.id === adoptionId)!;
}

beforeAll(async () => {
	version = (await currentAgreement(getDb()))!.version;
	manager = await person('beheer-vraag@gemeente.test', 'manager');
});

describe('a question on an adoption request', () => {
	it('shows the question to the requester, stores the answer in the history, and the manager sees it', async () => {
		const lisa = await person('lisa-vraag@voorbeeld.nl');
		const { plotId, adoptionId } = await requested(lisa);
		expect((await mine(lisa, adoptionId)).stage).toBe('waiting');
		expect((await inboxItem(adoptionId)).stage).toBe('waiting');

		await askQuestion(getDb(), manager, adoptionId, 'Wilt u ook de haag bijhouden?');
		const asked = await mine(lisa, adoptionId);
		expect(asked.status).toBe('requested');
		expect(asked.stage).toBe('question');
		expect(asked.notes.map((n) => [n.kind, n.text])).toEqual([['question', 'Wilt u ook de haag bijhouden?']]);
		expect((await inboxItem(adoptionId)).stage).toBe('question');

		expect(await answerQuestion(getDb(), lisa, adoptionId, '  Ja, de haag neem ik mee.  ')).toEqual({ created: true });
		expect(await answers(adoptionId)).toEqual([
			{ text: 'Ja, de haag neem ik mee.', actor: lisa.id, role: 'resident', from: 'requested', to: 'requested' }
		]);
		const answered = await mine(lisa, adoptionId);
		expect([answered.status, answered.stage]).toEqual(['requested', 'answered']);
		const item = await inboxItem(adoptionId);
		expect(item.stage).toBe('answered');
		expect(item.notes.map((n) => [n.kind, n.text])).toEqual([
			['question', 'Wilt u ook de haag bijhouden?'],
			['answer', 'Ja, de haag neem ik mee.']
		]);
		// Questions and answers are between resident and municipality, not on the public plot page.
		expect((await publicTimeline(getDb(), plotId)).map((e) => e.to)).toEqual(['requested']);
		// Appended, never edited.
		const [{ id }] = await queryRows<{ id: number }>(getDb(), sql`SELECT id FROM adoption_events WHERE adoption_id = ${adoptionId} AND kind = 'answer'`);
		const edit = await getDb()
			.execute(sql`UPDATE adoption_events SET reason = 'iets anders' WHERE id = ${id}`)
			.then(() => 'edited', (e: { cause?: { message?: string }; message: string }) => e.cause?.message ?? e.message);
		expect(edit).toContain('append-only');
	});

	it('refuses anyone but the requester, as if the request did not exist', async () => {
		const owner = await person('eigenaar-vraag@voorbeeld.nl');
		const other = await person('ander-vraag@voorbeeld.nl');
		const member = await person('lid-vraag@voorbeeld.nl');
		const teamId = await createTeam(getDb(), owner, { name: 'Straat vraag', kind: 'street' });
		await acceptInvite(getDb(), member, await createInviteLink(getDb(), owner, teamId));
		const { adoptionId } = await requested(owner, teamId);
		await askQuestion(getDb(), manager, adoptionId, 'Hoeveel mensen doen er mee?');

		await refused(answerQuestion(getDb(), other, adoptionId, 'Ik ben het niet'), 'not-found');
		await refused(answerQuestion(getDb(), member, adoptionId, 'Wij met zijn vijven'), 'not-found');
		await refused(answerQuestion(getDb(), manager, adoptionId, 'Namens de bewoner'), 'not-found');
		await refused(answerQuestion(getDb(), owner, 999_999, 'Geen aanvraag'), 'not-found');
		expect(await answers(adoptionId)).toEqual([]);
		// The team member sees the question but is not the one to answer it.
		expect((await mine(member, adoptionId)).stage).toBe('question');
		expect((await mine(member, adoptionId)).requesterId).toBe(owner.id);

		await answerQuestion(getDb(), owner, adoptionId, 'Wij doen met zijn vijven mee.');
		expect((await answers(adoptionId)).map((a) => a.actor)).toEqual([owner.id]);
	});

	it('keeps a double submit harmless and answers only an open question', async () => {
		const tom = await person('tom-vraag@voorbeeld.nl');
		const { adoptionId } = await requested(tom);
		await refused(answerQuestion(getDb(), tom, adoptionId, 'Er is nog geen vraag'), 'no-question');
		await askQuestion(getDb(), manager, adoptionId, 'Heeft u zelf gereedschap?');

		const twice = await Promise.all([
			answerQuestion(getDb(), tom, adoptionId, 'Ja, een schoffel en een gieter.'),
			answerQuestion(getDb(), tom, adoptionId, 'Ja, een schoffel en een gieter.')
		]);
		expect(twice.map((r) => r.created).sort()).toEqual([false, true]);
		expect(await answerQuestion(getDb(), tom, adoptionId, 'Ja, een schoffel en een gieter.')).toEqual({ created: false });
		expect(await answers(adoptionId)).toHaveLength(1);
		// A different text after answering waits for the next question.
		await refused(answerQuestion(getDb(), tom, adoptionId, 'En een kruiwagen.'), 'no-question');
		await refused(answerQuestion(getDb(), tom, adoptionId, '   '), 'answer-empty');

		// A second question can be answered again.
		await askQuestion(getDb(), manager, adoptionId, 'Ook een kruiwagen?');
		expect(await answerQuestion(getDb(), tom, adoptionId, 'Ja, die ook.')).toEqual({ created: true });
		expect((await answers(adoptionId)).map((a) => a.text)).toEqual(['Ja, een schoffel en een gieter.', 'Ja, die ook.']);
	});
});

import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import * as m from '#lib/paraglide/messages.js';
import { REPORT_CONFIRM_HOURS, REPORT_DESCRIPTION_MAX, REPORT_DESCRIPTION_MIN, REPORT_NOTE_MAX } from '#lib/domain/report.js';
import { can, type Actor } from '#lib/domain/policy.js';
import { queryRows, type Db, type Tx } from '#server/db';
import type { MailLocale } from '#server/mail';
import { attachPhotos } from '#server/media';
import { enqueueMail } from '#server/notifications';
import { consumeAll, RATE_LIMITS, type LimitResult, type LimitRule } from '#server/ratelimit';
import { confirmReport, hashReportToken, insertReport, lockReport, moveReport, ReportError, type ReportActor } from './core';

/**
 * The reporter's side: making a report (signed in, or by an address confirmed through a mailed
 * link), supporting one that is already there ("ik zie dit ook"), following such a link, and
 * answering a question the municipality asked. Each runs in one transaction with its photos,
 * its confirmation and its mail, so a report never exists without what belongs to it.
 */

export const SUBMIT_ERROR_CODES = [
	/** Signed in without a verified e-mail address. */
	'not-verified',
	/** Photos that are not the reporter's own pending uploads. */
	'photos',
	/** The link is unknown, used or expired. */
	'bad-token',
	/** Only the reporter answers a question, and only while it is open. */
	'not-reporter',
	'no-question'
] as const;
export type SubmitErrorCode = (typeof SUBMIT_ERROR_CODES)[number];

export class SubmitError extends Error {
	constructor(readonly code: SubmitErrorCode) {
		super(code);
		this.name = 'SubmitError';
	}
}

export function isSubmitError(e: unknown): e is SubmitError {
	return e instanceof SubmitError;
}

/**
 * An address without an account can be typed by anyone, so it gets a tight limit of its own
 * (its links land in someone's inbox); the account and IP limits are posting's.
 */
export const REPORT_ADDRESS_LIMIT: LimitRule = { name: 'report:address', limit: 10, windowSeconds: 60 * 60 };

/** Counts one report or support against the limits of who sends it. */
export function limitReporting(db: Db, who: { userId: string | null; email: string | null; ip: string | null }): Promise<LimitResult> {
	return consumeAll(db, [
		[RATE_LIMITS.postAccount, who.userId],
		[REPORT_ADDRESS_LIMIT, who.email],
		[RATE_LIMITS.postIp, who.ip]
	]);
}

export function confirmUrl(origin: string, token: string, locale: MailLocale): string {
	return `${origin}${locale === 'en' ? '/en' : ''}/meldingen/bevestigen/${token}`;
}

async function newConfirmation(tx: Tx, reportId: number, supportId: number | null, now: Date): Promise<string> {
	const token = randomBytes(24).toString('base64url');
	const expires = new Date(now.getTime() + REPORT_CONFIRM_HOURS * 3600_000);
	await tx.execute(
		sql`INSERT INTO report_confirmations (token_hash, report_id, support_id, expires_at, created_at)
		VALUES (${hashReportToken(token)}, ${reportId}, ${supportId}, ${expires}, ${now})`
	);
	return token;
}

async function mailConfirmation(tx: Tx, to: string, url: string, locale: MailLocale, support: boolean): Promise<void> {
	const options = { locale };
	const subject = support ? m.report_new_mail_support_subject({}, options) : m.report_new_mail_subject({}, options);
	const intro = support ? m.report_new_mail_support_intro({}, options) : m.report_new_mail_intro({}, options);
	const text = `${intro}\n\n${m.report_new_mail_action({ hours: REPORT_CONFIRM_HOURS }, options)}\n${url}\n\n${m.report_new_mail_outro({}, options)}\n\n-- Perkje\n`;
	await enqueueMail(tx, { to, userId: null, kind: support ? 'report_support_confirm' : 'report_confirm', subject, text });
}

export interface SubmitInput {
	/** Null: by address. */
	actor: Actor | null;
	email: string | null;
	categoryId: number;
	description: string;
	lon: number;
	lat: number;
	plotId: number | null;
	contactAllowed: boolean;
	photoIds: number[];
	idempotencyKey: string;
	origin: string;
	locale: MailLocale;
	now?: Date;
}

export interface Submitted {
	id: number;
	created: boolean;
	/** False for a report by address: it waits for its link. */
	confirmed: boolean;
}

/**
 * Makes a report. Signed in: confirmed at once, with the reporter's photos. By address: it
 * waits, invisible, until the mailed link is followed (no photos: an upload needs an account).
 * The same idempotency key twice (a double tap, a resend) makes one report and one mail.
 */
export async function submitReport(db: Db, input: SubmitInput): Promise<Submitted> {
	const now = input.now ?? new Date();
	if (input.actor && !can(input.actor, 'report.create')) throw new SubmitError('not-verified');
	const email = input.actor ? null : (input.email ?? '').trim().toLowerCase();
	return db.transaction(async (tx) => {
		const placed = await insertReport(tx, {
			categoryId: input.categoryId,
			description: input.description,
			lon: input.lon,
			lat: input.lat,
			source: input.actor ? 'account' : 'email',
			reporterUserId: input.actor?.id ?? null,
			reporterEmail: email,
			contactAllowed: input.contactAllowed,
			confirmed: input.actor !== null,
			idempotencyKey: input.idempotencyKey,
			plotId: input.plotId,
			now
		});
		if (!placed.created) return { id: placed.id, created: false, confirmed: input.actor !== null };
		if (input.actor && input.photoIds.length > 0) {
			const attached = await attachPhotos(tx, input.photoIds, input.actor.id);
			if (!attached.ok) throw new SubmitError('photos');
			let position = 0;
			for (const photoId of input.photoIds) {
				await tx.execute(
					sql`INSERT INTO report_photos (report_id, photo_id, kind, position) VALUES (${placed.id}, ${photoId}, 'report', ${position++})`
				);
			}
		}
		if (!input.actor && email) {
			const token = await newConfirmation(tx, placed.id, null, now);
			await mailConfirmation(tx, email, confirmUrl(input.origin, token, input.locale), input.locale, false);
		}
		return { id: placed.id, created: true, confirmed: input.actor !== null };
	});
}

export interface SupportInput {
	reportId: number;
	actor: Actor | null;
	email: string | null;
	origin: string;
	locale: MailLocale;
	now?: Date;
}

/**
 * "Ik zie dit ook": once per person (or address) per report. A signed-in supporter counts at
 * once; an address counts when its link is followed. Supporting twice changes nothing.
 * Returns whether the support counts already.
 */
export async function supportReport(db: Db, input: SupportInput): Promise<{ counted: boolean; created: boolean }> {
	const now = input.now ?? new Date();
	if (input.actor && !can(input.actor, 'report.create')) throw new SubmitError('not-verified');
	const email = input.actor ? null : (input.email ?? '').trim().toLowerCase();
	return db.transaction(async (tx) => {
		const [report] = await queryRows<{ id: number; reporter_user_id: string | null; confirmed_at: Date | null; state: string }>(
			tx,
			sql`SELECT id, reporter_user_id, confirmed_at, state FROM reports WHERE id = ${input.reportId} AND parent_id IS NULL FOR UPDATE`
		);
		if (!report || !report.confirmed_at || report.state === 'done' || report.state === 'cancelled') throw new ReportError('not-found');
		// The reporter seeing their own report again is no second voice.
		if (input.actor && report.reporter_user_id === input.actor.id) return { counted: true, created: false };
		const [row] = await queryRows<{ id: number }>(
			tx,
			sql`INSERT INTO report_supports (report_id, user_id, email, confirmed_at, created_at)
			VALUES (${input.reportId}, ${input.actor?.id ?? null}, ${email}, ${input.actor ? now : null}, ${now})
			ON CONFLICT DO NOTHING RETURNING id`
		);
		if (!row) {
			const [seen] = await queryRows<{ confirmed_at: Date | null }>(
				tx,
				sql`SELECT confirmed_at FROM report_supports WHERE report_id = ${input.reportId}
				AND (user_id = ${input.actor?.id ?? null} OR email = ${email})`
			);
			return { counted: Boolean(seen?.confirmed_at), created: false };
		}
		if (input.actor) {
			await tx.execute(sql`UPDATE reports SET support_count = support_count + 1 WHERE id = ${input.reportId}`);
			return { counted: true, created: true };
		}
		const token = await newConfirmation(tx, input.reportId, row.id, now);
		await mailConfirmation(tx, email!, confirmUrl(input.origin, token, input.locale), input.locale, true);
		return { counted: false, created: true };
	});
}

/**
 * Following a mailed link: the report (or the support) becomes real. A link works once, for
 * REPORT_CONFIRM_HOURS; following it again after it worked says so instead of failing.
 */
export async function confirmByToken(db: Db, token: string, now = new Date()): Promise<{ reportId: number; support: boolean; already: boolean }> {
	if (!/^[\w-]{20,100}$/.test(token)) throw new SubmitError('bad-token');
	return db.transaction(async (tx) => {
		const [c] = await queryRows<{ id: number; report_id: number; support_id: number | null; expires_at: Date; used_at: Date | null }>(
			tx,
			sql`SELECT id, report_id, support_id, expires_at, used_at FROM report_confirmations WHERE token_hash = ${hashReportToken(token)} FOR UPDATE`
		);
		if (!c) throw new SubmitError('bad-token');
		if (c.used_at) return { reportId: c.report_id, support: c.support_id !== null, already: true };
		if (new Date(c.expires_at) <= now) throw new SubmitError('bad-token');
		await tx.execute(sql`UPDATE report_confirmations SET used_at = ${now} WHERE id = ${c.id}`);
		if (c.support_id !== null) {
			const [s] = await queryRows<{ id: number }>(
				tx,
				sql`UPDATE report_supports SET confirmed_at = ${now} WHERE id = ${c.support_id} AND confirmed_at IS NULL RETURNING id`
			);
			if (s) await tx.execute(sql`UPDATE reports SET support_count = support_count + 1 WHERE id = ${c.report_id}`);
		} else {
			await confirmReport(tx, c.report_id, now);
		}
		return { reportId: c.report_id, support: c.support_id !== null, already: false };
	});
}

/**
 * The reporter answers the question the municipality asked (reactie gevraagd): the answer is a
 * public note on the history and the work goes on (in behandeling).
 */
export async function answerQuestion(db: Db, input: { reportId: number; userId: string; text: string; now?: Date }): Promise<void> {
	const now = input.now ?? new Date();
	const text = input.text.trim().slice(0, REPORT_NOTE_MAX);
	await db.transaction(async (tx) => {
		const report = await lockReport(tx, input.reportId);
		if (report.reporterUserId !== input.userId) throw new SubmitError('not-reporter');
		if (report.state !== 'info_requested') throw new SubmitError('no-question');
		const actor: ReportActor = { userId: input.userId, role: 'resident', kind: 'reporter' };
		await moveReport(tx, { reportId: input.reportId, to: 'in_progress', actor, publicNote: text, expectedState: 'info_requested', now });
	});
}

// --- The forms, read at the boundary ------------------------------------------------------

const coordinate = (min: number, max: number) => z.coerce.number().finite().min(min).max(max);
const dbId = z.coerce.number().int().positive().max(2_147_483_647);

/** Where a report is: a plot (its number), or a point on the map (from a tap or "near me"). */
export const reportPlaceSchema = z.union([
	z.object({ plot: dbId }),
	z.object({ lon: coordinate(-180, 180), lat: coordinate(-90, 90) })
]);

/**
 * Markup has no place in a description of a broken fence; a text with tags in it is refused
 * with a sentence rather than stored (it is always escaped when shown, but a refusal tells a
 * pasting person what happened, and keeps spam out of the managers' inbox).
 */
const MARKUP = /<\s*\/?\s*[a-z!?][^>]*>|javascript:/i;
const noMarkup = (s: string) => !MARKUP.test(s);

/** The report form. Messages are in the reader's language. */
export function reportFormSchema(signedIn: boolean) {
	const text = () => m.report_new_description_error({ min: REPORT_DESCRIPTION_MIN, max: REPORT_DESCRIPTION_MAX });
	return z.object({
		categoryId: dbId.catch(0).refine((n) => n > 0, { error: () => m.report_new_category_error() }),
		description: z
			.string({ error: text })
			.trim()
			.min(REPORT_DESCRIPTION_MIN, { error: text })
			.max(REPORT_DESCRIPTION_MAX, { error: text })
			.refine(noMarkup, { error: () => m.report_new_no_markup() }),
		lon: coordinate(-180, 180),
		lat: coordinate(-90, 90),
		plotId: dbId.nullable().catch(null),
		contactAllowed: z.string().optional().transform((v) => v === 'on' || v === 'true'),
		email: signedIn
			? z.any().transform(() => null)
			: z.string({ error: () => m.report_new_email_error() }).trim().max(254, { error: () => m.report_new_email_error() }).pipe(z.email({ error: () => m.report_new_email_error() })),
		idempotencyKey: z.string().trim().min(8).max(100).regex(/^[\w-]+$/)
	});
}
export type ReportForm = z.output<ReturnType<typeof reportFormSchema>>;

/** The form's fields as the schema reads them (repeated or file fields left to the caller). */
export function reportFormInput(data: FormData): Record<string, unknown> {
	const one = (name: string) => {
		const v = data.get(name);
		return typeof v === 'string' ? v : undefined;
	};
	const plot = one('plotId');
	return {
		categoryId: one('categoryId'),
		description: one('description'),
		lon: one('lon'),
		lat: one('lat'),
		plotId: plot === undefined || plot === '' ? null : plot,
		contactAllowed: one('contactAllowed'),
		email: one('email'),
		idempotencyKey: one('idempotencyKey')
	};
}

/** The answer to a question, and the support's address (signed out). */
export function answerSchema() {
	const text = () => m.report_page_answer_error({ max: REPORT_NOTE_MAX });
	return z.object({
		text: z
			.string({ error: text })
			.trim()
			.min(1, { error: text })
			.max(REPORT_NOTE_MAX, { error: text })
			.refine(noMarkup, { error: () => m.report_new_no_markup() })
	});
}
export const supportSchema = (signedIn: boolean) =>
	z.object({
		reportId: dbId,
		email: signedIn ? z.any().transform(() => null) : z.string().trim().max(254).pipe(z.email({ error: () => m.report_new_email_error() }))
	});

/**
 * A refusal as a form shows it (field, sentence in the reader's language, status), or null for
 * anything that is not a refusal (a real error, which goes on).
 */
export function reportRefusal(e: unknown): { status: number; field: string; message: string } | null {
	if (isSubmitError(e)) {
		switch (e.code) {
			case 'not-verified':
				return { status: 403, field: 'form', message: m.report_new_not_verified() };
			case 'photos':
				return { status: 400, field: 'photos', message: m.report_new_photos_error() };
			case 'bad-token':
				return { status: 400, field: 'form', message: m.report_new_bad_token() };
			case 'not-reporter':
				return { status: 404, field: 'form', message: m.report_page_not_found() };
			case 'no-question':
				return { status: 400, field: 'text', message: m.report_page_no_question() };
		}
	}
	if (e instanceof ReportError) {
		switch (e.code) {
			case 'outside':
				return { status: 400, field: 'form', message: m.report_new_outside() };
			case 'unknown-category':
				return { status: 400, field: 'categoryId', message: m.report_new_unknown_category() };
			case 'key-taken':
				return { status: 400, field: 'form', message: m.report_new_key_taken() };
			case 'not-found':
				return { status: 404, field: 'form', message: m.report_new_gone() };
			case 'stale':
			case 'bad-move':
				return { status: 400, field: 'text', message: m.report_page_no_question() };
		}
	}
	return null;
}

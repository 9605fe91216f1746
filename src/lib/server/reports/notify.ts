import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { REPORT_FEEDBACK_DAYS, type ReportState } from '#lib/domain/report.js';
import * as m from '#lib/paraglide/messages.js';
import { getConfig } from '#server/config';
import { queryRows, type Tx } from '#server/db';
import { escapeHtml, toMailLocale, type MailLocale } from '#server/mail';
import { mediaUrl } from '#server/media';
import { enqueueMail } from '#server/notifications';
import { hashReportToken } from './core';

/**
 * Telling the people who follow a report what happened: its reporter (when there is an address
 * to write to) and every confirmed supporter ("ik zie dit ook"). One outbox mail each, in the
 * transaction of the move, so a mail exists exactly when the move committed. On 'done' the
 * reporter's mail also asks "Bent u tevreden over de afhandeling van uw melding?" with a Ja and
 * a Nee link; the token behind them is kept only as its sha256 (a leaked database row cannot
 * answer for anyone).
 */

export const REPORT_MAIL_KIND = 'report_update';

const STATE_TEXT: Record<ReportState, (i: object, o: { locale: MailLocale }) => string> = {
	reported: m.report_state_reported,
	in_progress: m.report_state_in_progress,
	scheduled: m.report_state_scheduled,
	forwarded: m.report_state_forwarded,
	info_requested: m.report_state_info_requested,
	done: m.report_state_done,
	cancelled: m.report_state_cancelled,
	reopened: m.report_state_reopened,
	reopen_requested: m.report_state_reopen_requested
};

interface Follower {
	email: string;
	userId: string | null;
	locale: MailLocale;
	reporter: boolean;
}

export interface FollowersNotice {
	reportId: number;
	toState: ReportState;
	publicNote: string | null;
	/** The history entry of the move: the answer photos hang on it. */
	historyId: number | null;
	now: Date;
	/** The request's origin, when no public address is configured. */
	origin?: string;
	/**
	 * On 'done', ask the reporter whether they are satisfied (default). Not when a manager keeps a
	 * report done after a request to reopen: the reporter answered that question already.
	 */
	askFeedback?: boolean;
}

export interface NotifiedFollowers {
	mails: number;
	/** The plain feedback token of a 'done' mail (for the caller's tests; never stored). */
	feedbackToken: string | null;
}

async function followersOf(tx: Tx, reportId: number): Promise<Follower[]> {
	const rows = await queryRows<{ email: string | null; user_id: string | null; locale: string | null; reporter: boolean }>(
		tx,
		sql`SELECT coalesce(u.email, r.reporter_email) AS email, u.id AS user_id, u.locale, true AS reporter
		FROM reports r LEFT JOIN users u ON u.id = r.reporter_user_id
		WHERE r.id = ${reportId} AND r.confirmed_at IS NOT NULL
		UNION ALL
		SELECT coalesce(u.email, s.email), u.id, u.locale, false
		FROM report_supports s LEFT JOIN users u ON u.id = s.user_id
		WHERE s.report_id = ${reportId} AND s.confirmed_at IS NOT NULL`
	);
	const seen = new Set<string>();
	const out: Follower[] = [];
	for (const r of rows) {
		if (!r.email) continue;
		const key = r.email.toLowerCase();
		if (seen.has(key)) continue;
		seen.add(key);
		out.push({ email: r.email, userId: r.user_id, locale: toMailLocale(r.locale ?? 'nl'), reporter: r.reporter });
	}
	return out;
}

/**
 * Mails every follower of a report about its new public state. Call it inside the move's
 * transaction, for moves the public sees (not for internal notes or reassignments).
 */
export async function notifyFollowers(tx: Tx, notice: FollowersNotice): Promise<NotifiedFollowers> {
	const followers = await followersOf(tx, notice.reportId);
	if (followers.length === 0) return { mails: 0, feedbackToken: null };
	const [report] = await queryRows<{ name_nl: string; name_en: string }>(
		tx,
		sql`SELECT c.name_nl, c.name_en FROM reports r JOIN report_categories c ON c.id = r.category_id WHERE r.id = ${notice.reportId}`
	);
	const origin = getConfig().auth.publicOrigin ?? notice.origin ?? 'http://localhost:5173';
	const done = notice.toState === 'done';
	// The answer's photos: those of this move, else the latest answer given before it.
	const photos = done
		? await queryRows<{ hash: string }>(
				tx,
				sql`SELECT v.hash FROM report_photos rp JOIN photos ph ON ph.id = rp.photo_id
				JOIN photo_variants v ON v.photo_id = ph.id AND v.variant = 'large'
				WHERE rp.report_id = ${notice.reportId} AND rp.kind = 'answer' AND ph.hidden_at IS NULL
				ORDER BY (rp.history_id IS NOT DISTINCT FROM ${notice.historyId}) DESC, rp.history_id DESC NULLS LAST, rp.position
				LIMIT 3`
			)
		: [];
	let feedbackToken: string | null = null;
	if (done && notice.askFeedback !== false && followers.some((f) => f.reporter)) {
		feedbackToken = randomBytes(24).toString('base64url');
		const openUntil = new Date(notice.now.getTime() + REPORT_FEEDBACK_DAYS * 86_400_000);
		await tx.execute(
			sql`INSERT INTO report_feedback (report_id, token_hash, open_until, created_at)
			VALUES (${notice.reportId}, ${hashReportToken(feedbackToken)}, ${openUntil}, ${notice.now})`
		);
	}
	for (const f of followers) {
		const locale = f.locale;
		const o = { locale };
		const prefix = locale === 'en' ? '/en' : '';
		const url = (path: string) => new URL(`${prefix}${path}`, origin).toString();
		const state = STATE_TEXT[notice.toState]({}, o);
		const category = locale === 'en' ? (report?.name_en ?? '') : (report?.name_nl ?? '');
		const lines: string[] = [
			f.reporter
				? m.report_mail_body_reporter({ category, state }, o)
				: m.report_mail_body_supporter({ category, state }, o)
		];
		if (notice.publicNote) lines.push(m.report_mail_note({ note: notice.publicNote }, o));
		for (const p of photos) lines.push(m.report_mail_photo({ link: new URL(mediaUrl(p.hash), origin).toString() }, o));
		lines.push(m.report_mail_link({ link: url(`/meldingen/${notice.reportId}`) }, o));
		const links: string[] = [];
		if (f.reporter && feedbackToken) {
			const yes = url(`/meldingen/tevreden/${feedbackToken}?antwoord=ja`);
			const no = url(`/meldingen/tevreden/${feedbackToken}?antwoord=nee`);
			lines.push('', m.report_mail_feedback_question({}, o), m.report_mail_feedback_yes({ link: yes }, o), m.report_mail_feedback_no({ link: no }, o));
			links.push(yes, no);
		}
		const subject = done
			? m.report_mail_done_subject({ id: notice.reportId }, o)
			: m.report_mail_update_subject({ id: notice.reportId, state }, o);
		const text = `${lines.join('\n')}\n\n-- Perkje\n`;
		const html =
			lines
				.filter((l) => l !== '')
				.map((l) => `<p>${escapeHtml(l)}</p>`)
				.join('') + '<p>— Perkje</p>';
		await enqueueMail(tx, { to: f.email, userId: f.userId, kind: REPORT_MAIL_KIND, subject, text, html });
	}
	return { mails: followers.length, feedbackToken };
}

import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import * as m from '#lib/paraglide/messages.js';
import { getLocale, localizeHref } from '#lib/paraglide/runtime.js';
import { FEEDBACK_TEXT_MAX, feedbackReasonsFor, type FeedbackReason } from '#lib/domain/report.js';
import { getDb } from '#server/db';
import { answerFeedback, readFeedback } from '#server/reports';
import type { Actions, PageServerLoad } from './$types';

// The link in the "afgehandeld" mail: anyone holding it may answer (the token is the key), once.
const Token = z.string().min(16).max(200).regex(/^[A-Za-z0-9_-]+$/);

export const load = (async (event) => {
	const token = Token.safeParse(event.params.token);
	const request = token.success ? await readFeedback(getDb(), token.data, new Date()) : null;
	// An unknown link gets the page's own words (use the whole link), not the general 404 page.
	if (!request) return { status: 'unknown' as const };
	const antwoord = event.url.searchParams.get('antwoord');
	return {
		status: request.status,
		category: getLocale() === 'en' ? request.categoryEn : request.categoryNl,
		reportedAt: request.reportedAt,
		openUntil: request.openUntil,
		reportHref: localizeHref(`/meldingen/${request.reportId}`),
		answer: antwoord === 'ja' || antwoord === 'nee' ? antwoord : null
	};
}) satisfies PageServerLoad;

const AnswerSchema = z.object({
	answer: z.enum(['ja', 'nee'], { error: () => m.report_feedback_error_choice() }),
	text: z.string().trim().max(FEEDBACK_TEXT_MAX, { error: () => m.report_feedback_error_text({ max: FEEDBACK_TEXT_MAX }) })
});

export const actions = {
	default: async (event) => {
		const token = Token.safeParse(event.params.token);
		if (!token.success) return fail(404, { answer: '', text: '', reasons: [] as string[], error: m.report_feedback_unknown() });
		const data = await event.request.formData();
		const values = { answer: String(data.get('answer') ?? ''), text: String(data.get('text') ?? '') };
		const reasons = data.getAll('reason').map(String);
		const parsed = AnswerSchema.safeParse(values);
		if (!parsed.success) return fail(400, { ...values, reasons, error: parsed.error.issues[0].message });
		const satisfied = parsed.data.answer === 'ja';
		// Both groups of answers are in the page (the other one hidden): keep those of the choice made.
		const allowed = feedbackReasonsFor(satisfied);
		const chosen = reasons.filter((r): r is FeedbackReason => (allowed as readonly string[]).includes(r));
		const outcome = await answerFeedback(getDb(), token.data, { satisfied, reasons: chosen, text: parsed.data.text || null }, new Date());
		if (!outcome.ok) {
			const message =
				outcome.reason === 'unknown'
					? m.report_feedback_unknown()
					: outcome.reason === 'answered'
					? m.report_feedback_answered()
					: outcome.reason === 'expired'
						? m.report_feedback_expired_short()
						: m.report_feedback_error_text({ max: FEEDBACK_TEXT_MAX });
			const status = outcome.reason === 'unknown' ? 404 : outcome.reason === 'answered' || outcome.reason === 'expired' ? 409 : 400;
			return fail(status, { ...values, reasons, error: message });
		}
		return { done: true, satisfied, reopenRequested: outcome.reopenRequested };
	}
} satisfies Actions;

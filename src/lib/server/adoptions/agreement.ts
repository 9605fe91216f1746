import { sql } from 'drizzle-orm';
import { can, type Actor } from '#lib/domain/policy.js';
import { recordAudit } from '#server/audit';
import { queryRows, type Db } from '#server/db';
import { currentAgreement, type Agreement } from './queries';

/**
 * Browsers post a textarea's line breaks as CRLF; the same text must compare equal and be
 * stored one way, or re-saving an unchanged agreement would publish a "new" version.
 */
const normalised = (text: string) => text.replace(/\r\n?/g, '\n').trim();

export type PublishAgreementResult =
	| { ok: true; agreement: Agreement }
	| { ok: false; reason: 'forbidden' | 'unchanged' };

/**
 * Publishes a new version of the adoption agreement. Versions are never edited: residents
 * accepted a particular text, and their adoptions keep pointing at it. A request made on
 * a form that still showed the previous text is refused ('agreement-outdated'), so nobody
 * is bound by a text they did not see.
 */
export async function publishAgreement(
	db: Db,
	actor: Actor,
	text: { textNl: string; textEn: string }
): Promise<PublishAgreementResult> {
	if (!can(actor, 'admin.users')) return { ok: false, reason: 'forbidden' };
	const textNl = normalised(text.textNl);
	const textEn = normalised(text.textEn);
	return db.transaction(async (tx) => {
		// Two admins publishing at once get consecutive versions, not a key clash.
		await tx.execute(sql`LOCK TABLE adoption_agreements IN EXCLUSIVE MODE`);
		const before = await currentAgreement(tx);
		if (before && normalised(before.textNl) === textNl && normalised(before.textEn) === textEn) {
			return { ok: false as const, reason: 'unchanged' as const };
		}
		const [agreement] = await queryRows<Agreement>(
			tx,
			sql`INSERT INTO adoption_agreements (version, text_nl, text_en, created_by)
				SELECT coalesce(max(version), 0) + 1, ${textNl}, ${textEn},
					(SELECT id FROM users WHERE id = ${actor.id})
				FROM adoption_agreements
				RETURNING version, text_nl AS "textNl", text_en AS "textEn"`
		);
		await recordAudit(tx, actor, {
			action: 'agreement.publish',
			subjectType: 'agreement',
			subjectId: String(agreement.version),
			before: before ? { version: before.version } : null,
			after: { version: agreement.version }
		});
		return { ok: true as const, agreement };
	});
}

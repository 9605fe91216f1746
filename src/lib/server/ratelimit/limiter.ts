import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '#server/db';

/**
 * Rate limits for everything a stranger can trigger: sign-in, sign-up, magic links,
 * password resets and public posting. Better Auth has a limiter of its own, but it only
 * sees requests to its HTTP router; Perkje calls `auth.api` from form actions, which that
 * limiter never counts. So this one sits in front of every flow instead.
 *
 * Fixed windows, counted in the database (one upsert per check), so several app processes
 * share the counts. Limits are per IP address and per account, because an attacker spreads
 * guesses over many accounts from one address, or over many addresses at one account.
 */
export interface LimitRule {
	/** Stable name: part of the stored key. */
	name: string;
	limit: number;
	windowSeconds: number;
}

const minutes = (n: number) => n * 60;

/**
 * Per-IP limits are generous on purpose: a school class or a community centre signs up
 * behind one address. Per-account limits are tight: nobody mistypes a password ten times
 * in a quarter of an hour, nor needs five sign-in links.
 */
export const RATE_LIMITS = {
	/** Failed sign-ins only: a successful one gives its count back (refund). */
	signInAccount: { name: 'sign-in:account', limit: 10, windowSeconds: minutes(15) },
	signInIp: { name: 'sign-in:ip', limit: 100, windowSeconds: minutes(15) },
	signUpIp: { name: 'sign-up:ip', limit: 30, windowSeconds: minutes(60) },
	/** Someone signing up a stranger's address over and over would flood their inbox. */
	signUpAccount: { name: 'sign-up:account', limit: 5, windowSeconds: minutes(60) },
	magicLinkAccount: { name: 'magic-link:account', limit: 5, windowSeconds: minutes(15) },
	magicLinkIp: { name: 'magic-link:ip', limit: 30, windowSeconds: minutes(15) },
	resetAccount: { name: 'reset:account', limit: 5, windowSeconds: minutes(15) },
	resetIp: { name: 'reset:ip', limit: 30, windowSeconds: minutes(15) },
	/** Token checks (verify, reset, magic link landing): guessing tokens from one address. */
	tokenIp: { name: 'token:ip', limit: 60, windowSeconds: minutes(15) },
	postAccount: { name: 'post:account', limit: 30, windowSeconds: minutes(60) },
	postIp: { name: 'post:ip', limit: 120, windowSeconds: minutes(60) },
	/**
	 * Photos are uploaded one by one before an entry is sent (several per entry, a retry after
	 * a refusal), so their own limits, apart from posting's; each is decoded, which costs CPU.
	 */
	photoAccount: { name: 'photo:account', limit: 60, windowSeconds: minutes(60) },
	photoIp: { name: 'photo:ip', limit: 300, windowSeconds: minutes(60) }
} as const satisfies Record<string, LimitRule>;

export interface LimitResult {
	allowed: boolean;
	/** Seconds until the window that refused this request ends (0 when allowed). */
	retryAfterSeconds: number;
}

/**
 * Keys are hashed so the table holds no e-mail or IP address; rows live one window.
 * The subject is lower-cased: "Ann@x.nl" and "ann@x.nl" are one account.
 */
function keyOf(rule: LimitRule, subject: string): string {
	return createHash('sha256').update(`${rule.name}\n${subject.trim().toLowerCase()}`).digest('hex');
}

/** Counts one attempt against `rule` for `subject` and says whether it is within the limit. */
export async function consume(db: Db, rule: LimitRule, subject: string): Promise<LimitResult> {
	const window = rule.windowSeconds;
	// One statement, so two processes counting at once both see each other's hit. The CASE
	// expressions read the row's old values: an expired window starts again at 1.
	const [row] = await queryRows<{ count: number; remaining: number }>(
		db,
		sql`insert into rate_limits as r (key, window_start, count)
		    values (${keyOf(rule, subject)}, now(), 1)
		    on conflict (key) do update set
		      count = case when r.window_start <= now() - make_interval(secs => ${window}) then 1 else r.count + 1 end,
		      window_start = case when r.window_start <= now() - make_interval(secs => ${window}) then now() else r.window_start end
		    returning count::int as count,
		      ceil(extract(epoch from (window_start + make_interval(secs => ${window}) - now())))::int as remaining`
	);
	const allowed = row.count <= rule.limit;
	return { allowed, retryAfterSeconds: allowed ? 0 : Math.max(1, row.remaining) };
}

/**
 * Takes back one counted attempt, for limits that are about failures: the attempt is counted
 * before it is tried (so a burst of parallel guesses cannot slip past the count), and a
 * success then gives its count back.
 */
export async function refund(db: Db, rule: LimitRule, subject: string): Promise<void> {
	await db.execute(
		sql`update rate_limits set count = greatest(count - 1, 0)
		    where key = ${keyOf(rule, subject)}
		      and window_start > now() - make_interval(secs => ${rule.windowSeconds})`
	);
}

/**
 * Checks several limits for one request (e.g. per IP and per account); every one is
 * counted, so hammering one account still uses up the address's allowance too.
 */
export async function consumeAll(
	db: Db,
	checks: ReadonlyArray<readonly [LimitRule, string | null | undefined]>
): Promise<LimitResult> {
	let worst: LimitResult = { allowed: true, retryAfterSeconds: 0 };
	for (const [rule, subject] of checks) {
		if (!subject) continue;
		const result = await consume(db, rule, subject);
		if (!result.allowed && result.retryAfterSeconds >= worst.retryAfterSeconds) worst = result;
	}
	return worst;
}

/** Public posting (activities, reports, photos) by a signed-in resident. */
export function limitPosting(db: Db, accountId: string, ip: string | null): Promise<LimitResult> {
	return consumeAll(db, [
		[RATE_LIMITS.postAccount, accountId],
		[RATE_LIMITS.postIp, ip]
	]);
}

/** A photo upload (POST /api/photos) by a signed-in person. */
export function limitPhotoUpload(db: Db, accountId: string, ip: string | null): Promise<LimitResult> {
	return consumeAll(db, [
		[RATE_LIMITS.photoAccount, accountId],
		[RATE_LIMITS.photoIp, ip]
	]);
}

/** Removes windows that ended long ago; cheap enough to run now and then from any request. */
export async function pruneRateLimits(db: Db): Promise<void> {
	await db.execute(sql`delete from rate_limits where window_start < now() - interval '1 day'`);
}

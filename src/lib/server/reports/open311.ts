import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { OPEN311_MAX_RESULTS, REPORT_DESCRIPTION_MAX, REPORT_DESCRIPTION_MIN, open311Status, type ReportState } from '#lib/domain/report.js';
import { queryRows, type Db } from '#server/db';
import { mediaUrl } from '#server/media';
import { consumeAll, type LimitRule } from '#server/ratelimit';
import { checkOpen311Key } from './config';
import { insertReport, isReportError } from './core';

/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2), so reporting apps and municipal
 * systems can read and post reports. One jurisdiction (jurisdiction_id is accepted and ignored),
 * JSON and XML. Services are the active sub-categories, keyed by slug.
 *
 * What GET shows is what the public report page shows: category, dates, status, the public
 * notes, the public photo; never the reporter, their address or their text (which may name
 * people), nor internal notes. POST needs an API key an admin made (/admin/open311).
 */

export type Open311Format = 'json' | 'xml';

export class Open311Error extends Error {
	constructor(
		readonly status: 400 | 403 | 404 | 429,
		readonly description: string,
		readonly retryAfterSeconds = 0
	) {
		super(description);
		this.name = 'Open311Error';
	}
}

// --- Serialising --------------------------------------------------------------------------

/** What goes into an answer: plain data (strings, numbers, booleans, null, arrays, objects). */
type Value = unknown;

const escapeXml = (s: string) =>
	s
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		// Control characters are not allowed in XML 1.0 at all, not even escaped.
		// eslint-disable-next-line no-control-regex
		.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** An element per field; arrays become repeated elements named `itemName` inside. */
function xmlOf(name: string, value: Value, itemNames: Record<string, string>): string {
	if (value === null || value === undefined) return `<${name}/>`;
	if (Array.isArray(value)) {
		const item = itemNames[name] ?? 'item';
		return `<${name}>${value.map((v) => xmlOf(item, v, itemNames)).join('')}</${name}>`;
	}
	if (typeof value === 'object') {
		return `<${name}>${Object.entries(value as Record<string, unknown>).map(([k, v]) => xmlOf(k, v, itemNames)).join('')}</${name}>`;
	}
	return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** The element names GeoReport v2's XML uses for list items. */
const XML_ITEMS: Record<string, string> = {
	services: 'service',
	service_requests: 'request',
	errors: 'error',
	endpoints: 'endpoint',
	formats: 'format',
	attributes: 'attribute',
	keywords: 'keyword'
};

export function open311Response(
	format: Open311Format,
	root: string,
	body: Value,
	init: { status?: number; headers?: Record<string, string> } = {}
): Response {
	const headers: Record<string, string> = { 'cache-control': 'no-store', 'access-control-allow-origin': '*', ...init.headers };
	if (format === 'json') {
		return new Response(JSON.stringify(body), {
			status: init.status ?? 200,
			headers: { ...headers, 'content-type': 'application/json; charset=utf-8' }
		});
	}
	return new Response(`<?xml version="1.0" encoding="utf-8"?>\n${xmlOf(root, body, XML_ITEMS)}`, {
		status: init.status ?? 200,
		headers: { ...headers, 'content-type': 'text/xml; charset=utf-8' }
	});
}

/** GeoReport v2's error list: [{ code, description }], with the same HTTP status. */
export function open311ErrorResponse(format: Open311Format, error: Open311Error): Response {
	const headers: Record<string, string> = {};
	if (error.retryAfterSeconds > 0) headers['retry-after'] = String(error.retryAfterSeconds);
	return open311Response(format, 'errors', [{ code: error.status, description: error.description }], {
		status: error.status,
		headers
	});
}

/** Runs a handler and turns refusals into the error list; anything else is a real fault. */
export async function open311Handle(format: Open311Format, run: () => Promise<Response>): Promise<Response> {
	try {
		return await run();
	} catch (e) {
		if (e instanceof Open311Error) return open311ErrorResponse(format, e);
		throw e;
	}
}

// --- Discovery and services ------------------------------------------------------------------

export function open311Discovery(origin: string, contact: string) {
	return {
		changeset: '2026-12-01T00:00:00Z',
		contact,
		key_service: `${origin}/admin/open311`,
		endpoints: [
			{
				specification: 'http://wiki.open311.org/GeoReport_v2',
				url: `${origin}/open311/v2`,
				changeset: '2026-12-01T00:00:00Z',
				type: 'production',
				formats: ['application/json', 'text/xml']
			}
		]
	};
}

export interface Open311Service {
	service_code: string;
	service_name: string;
	description: string;
	metadata: boolean;
	type: 'realtime';
	keywords: string;
	group: string;
}

async function serviceRows(db: Db, code: string | null) {
	return queryRows<{ slug: string; name_nl: string; name_en: string; group_nl: string; response_days: number | null }>(
		db,
		sql`SELECT c.slug, c.name_nl, c.name_en, p.name_nl AS group_nl, c.response_days
		FROM report_categories c JOIN report_categories p ON p.id = c.parent_id
		WHERE c.active AND p.active AND (${code}::text IS NULL OR c.slug = ${code})
		ORDER BY p.position, p.id, c.position, c.id`
	);
}

/** Every category a report can be made in: the active sub-categories of active main ones. */
export async function open311Services(db: Db): Promise<Open311Service[]> {
	return (await serviceRows(db, null)).map((r) => ({
		service_code: r.slug,
		service_name: r.name_nl,
		description: r.name_en,
		// No extra attributes: a report is a point, a category and a description.
		metadata: false,
		type: 'realtime',
		keywords: '',
		group: r.group_nl
	}));
}

export async function open311ServiceDefinition(db: Db, code: string) {
	const [row] = await serviceRows(db, code);
	if (!row) throw new Open311Error(404, `Onbekende service_code: ${code.slice(0, 80)}`);
	return { service_code: row.slug, attributes: [] as Value[] };
}

// --- Reading requests ----------------------------------------------------------------------

export interface Open311Request {
	service_request_id: string;
	status: 'open' | 'closed';
	status_notes: string | null;
	service_name: string;
	service_code: string;
	description: string | null;
	agency_responsible: string;
	service_notice: string | null;
	requested_datetime: string;
	updated_datetime: string;
	expected_datetime: string;
	address: string | null;
	address_id: string | null;
	zipcode: string | null;
	lat: number;
	long: number;
	media_url: string | null;
}

const csv = (max: number) =>
	z
		.string()
		.trim()
		.max(max * 60)
		.transform((s) => s.split(',').map((p) => p.trim()).filter(Boolean))
		.optional();

const dateParam = z
	.string()
	.trim()
	.max(40)
	.refine((s) => !Number.isNaN(Date.parse(s)), { message: 'date' })
	.transform((s) => new Date(s))
	.optional();

const RequestsQuery = z.object({
	service_request_id: csv(OPEN311_MAX_RESULTS),
	service_code: csv(100),
	start_date: dateParam,
	end_date: dateParam,
	status: csv(2)
});

function queryParams(url: URL): Record<string, string> {
	const out: Record<string, string> = {};
	for (const name of Object.keys(RequestsQuery.shape)) {
		const v = url.searchParams.get(name);
		if (v !== null && v !== '') out[name] = v;
	}
	return out;
}

const FIELD_NAMES_NL: Record<string, string> = {
	service_request_id: 'service_request_id (een of meer nummers, met komma’s)',
	service_code: 'service_code',
	start_date: 'start_date (een datum als 2026-12-01T00:00:00Z)',
	end_date: 'end_date (een datum als 2026-12-01T00:00:00Z)',
	status: 'status (open of closed)'
};

export interface RequestsFilter {
	ids: number[] | null;
	codes: string[] | null;
	start: Date | null;
	end: Date | null;
	statuses: Array<'open' | 'closed'> | null;
}

/** The GET filters of requests.json, with a Dutch refusal naming the field that is wrong. */
export function parseRequestsFilter(url: URL): RequestsFilter {
	const parsed = RequestsQuery.safeParse(queryParams(url));
	if (!parsed.success) {
		const field = String(parsed.error.issues[0]?.path[0] ?? '');
		throw new Open311Error(400, `Ongeldige waarde voor ${FIELD_NAMES_NL[field] ?? field}.`);
	}
	const q = parsed.data;
	let ids: number[] | null = null;
	if (q.service_request_id) {
		ids = q.service_request_id.map(Number);
		if (ids.some((n) => !Number.isInteger(n) || n < 1 || n > 2_147_483_647)) {
			throw new Open311Error(400, `Ongeldige waarde voor ${FIELD_NAMES_NL.service_request_id}.`);
		}
		if (ids.length > OPEN311_MAX_RESULTS) throw new Open311Error(400, `Hoogstens ${OPEN311_MAX_RESULTS} service_request_id's tegelijk.`);
	}
	let statuses: Array<'open' | 'closed'> | null = null;
	if (q.status) {
		if (q.status.some((s) => s !== 'open' && s !== 'closed')) throw new Open311Error(400, `Ongeldige waarde voor ${FIELD_NAMES_NL.status}.`);
		statuses = q.status as Array<'open' | 'closed'>;
	}
	if (q.start_date && q.end_date && q.start_date > q.end_date) {
		throw new Open311Error(400, 'start_date ligt na end_date.');
	}
	return { ids, codes: q.service_code ?? null, start: q.start_date ?? null, end: q.end_date ?? null, statuses };
}

const OPEN_STATES_SQL = sql`('done', 'cancelled')`;

/**
 * Reports as Open311 service requests, newest first, at most OPEN311_MAX_RESULTS. Without ids
 * or dates, the last 90 days (as the specification suggests). Only confirmed reports: one by
 * address that nobody confirmed is not a report yet.
 */
export async function open311Requests(
	db: Db,
	filter: RequestsFilter,
	ctx: { origin: string; municipalityName: string; now: Date }
): Promise<Open311Request[]> {
	const start = filter.start ?? (filter.ids || filter.end ? null : new Date(ctx.now.getTime() - 90 * 86_400_000));
	const closed = filter.statuses && filter.statuses.length === 1 ? filter.statuses[0] === 'closed' : null;
	const rows = await queryRows<{
		id: number;
		state: ReportState;
		slug: string;
		name_nl: string;
		partner_name: string | null;
		created_at: Date;
		updated_at: Date;
		deadline_at: Date;
		lon: number;
		lat: number;
		status_notes: string | null;
		photo_hash: string | null;
	}>(
		db,
		sql`SELECT r.id, r.state, c.slug, c.name_nl, o.name AS partner_name, r.created_at, r.updated_at, r.deadline_at,
			ST_X(r.geom) AS lon, ST_Y(r.geom) AS lat,
			(SELECT h.public_note FROM report_history h WHERE h.report_id = r.id AND h.public_note IS NOT NULL
			  ORDER BY h.id DESC LIMIT 1) AS status_notes,
			(SELECT v.hash FROM report_photos rp JOIN photos p ON p.id = rp.photo_id
			   JOIN photo_variants v ON v.photo_id = p.id AND v.variant = 'large'
			  WHERE rp.report_id = r.id AND p.hidden_at IS NULL AND p.status <> 'pending'
			  ORDER BY (rp.kind = 'answer') DESC, rp.position, rp.photo_id LIMIT 1) AS photo_hash
		FROM reports r
		JOIN report_categories c ON c.id = r.category_id
		LEFT JOIN partner_organisations o ON o.id = r.partner_organisation_id
		WHERE r.confirmed_at IS NOT NULL
		  AND (${filter.ids ? sql`r.id IN (${sql.join(filter.ids.map((i) => sql`${i}`), sql`, `)})` : sql`true`})
		  AND (${filter.codes ? sql`c.slug IN (${sql.join(filter.codes.map((s) => sql`${s}`), sql`, `)})` : sql`true`})
		  AND (${start}::timestamptz IS NULL OR r.created_at >= ${start})
		  AND (${filter.end}::timestamptz IS NULL OR r.created_at <= ${filter.end})
		  AND (${closed}::boolean IS NULL OR (r.state IN ${OPEN_STATES_SQL}) = ${closed})
		ORDER BY r.created_at DESC, r.id DESC
		LIMIT ${OPEN311_MAX_RESULTS}`
	);
	return rows.map((r) => ({
		service_request_id: String(r.id),
		status: open311Status(r.state),
		status_notes: r.status_notes,
		service_name: r.name_nl,
		service_code: r.slug,
		// The reporter's own words may name people or addresses: the public page leaves them out, so does this.
		description: null,
		agency_responsible: r.partner_name ?? ctx.municipalityName,
		service_notice: null,
		requested_datetime: new Date(r.created_at).toISOString(),
		updated_datetime: new Date(r.updated_at).toISOString(),
		expected_datetime: new Date(r.deadline_at).toISOString(),
		address: null,
		address_id: null,
		zipcode: null,
		lat: Number(r.lat),
		long: Number(r.lon),
		media_url: r.photo_hash ? `${ctx.origin}${mediaUrl(r.photo_hash)}` : null
	}));
}

export async function open311Request(
	db: Db,
	id: string,
	ctx: { origin: string; municipalityName: string; now: Date }
): Promise<Open311Request> {
	if (!/^[1-9]\d{0,9}$/.test(id) || Number(id) > 2_147_483_647) throw new Open311Error(404, `Onbekende service_request_id: ${id.slice(0, 20)}`);
	const [found] = await open311Requests(db, { ids: [Number(id)], codes: null, start: null, end: null, statuses: null }, ctx);
	if (!found) throw new Open311Error(404, `Onbekende service_request_id: ${id}`);
	return found;
}

/**
 * Perkje makes every posted report at once, so POST answers with its service_request_id and a
 * token is never needed; a client that asks anyway, with that id as the token, gets the id back.
 */
export async function open311Token(db: Db, token: string): Promise<{ service_request_id: string; token: string }> {
	const valid = /^[1-9]\d{0,9}$/.test(token) && Number(token) <= 2_147_483_647;
	const rows = valid
		? await queryRows<{ id: number }>(db, sql`SELECT id FROM reports WHERE id = ${Number(token)} AND source = 'open311'`)
		: [];
	if (!rows[0]) throw new Open311Error(404, `Onbekend token: ${token.slice(0, 20)}`);
	return { service_request_id: String(rows[0].id), token };
}

// --- Posting a request ---------------------------------------------------------------------

/** Per key: a busy municipal system posts a lot, but not thousands an hour. */
export const OPEN311_LIMITS = {
	key: { name: 'open311:key', limit: 300, windowSeconds: 3600 },
	ip: { name: 'open311:ip', limit: 600, windowSeconds: 3600 }
} as const satisfies Record<string, LimitRule>;

const coordinate = (min: number, max: number) =>
	z
		.string()
		.trim()
		.max(30)
		.regex(/^-?\d{1,3}(\.\d+)?$/)
		.transform(Number)
		.refine((n) => n >= min && n <= max);

const PostSchema = z.object({
	service_code: z.string().trim().min(1).max(100),
	lat: coordinate(-90, 90).optional(),
	long: coordinate(-180, 180).optional(),
	address_string: z.string().trim().max(500).optional(),
	email: z.email().max(254).optional(),
	description: z.string().trim().min(REPORT_DESCRIPTION_MIN).max(REPORT_DESCRIPTION_MAX)
});

const POST_FIELD_ERRORS: Record<string, string> = {
	service_code: 'service_code ontbreekt.',
	lat: 'lat moet een breedtegraad zijn (WGS84, bijvoorbeeld 52.2215).',
	long: 'long moet een lengtegraad zijn (WGS84, bijvoorbeeld 6.8937).',
	address_string: 'address_string is te lang (hoogstens 500 tekens).',
	email: 'email is geen geldig e-mailadres.',
	description: `description is verplicht: ${REPORT_DESCRIPTION_MIN} tot ${REPORT_DESCRIPTION_MAX} tekens.`
};

export interface PostContext {
	ip: string | null;
	/** From an Idempotency-Key header: the same key twice makes one report. */
	idempotencyKey: string | null;
	now: Date;
}

/**
 * POST requests.json: checks the limit and the key, then makes the report through the core with
 * source 'open311'. The client vouches for its reporter (it holds a key), so the report is
 * confirmed at once; an e-mail address, if given, is kept for the municipality only.
 */
export async function open311Post(db: Db, form: FormData, ctx: PostContext): Promise<{ service_request_id: string; service_notice: string; account_id: null }> {
	const apiKey = String(form.get('api_key') ?? '');
	// The address's limit is counted before the key is checked, so keys cannot be guessed fast.
	const byIp = await consumeAll(db, [[OPEN311_LIMITS.ip, ctx.ip]]);
	if (!byIp.allowed) throw new Open311Error(429, 'Te veel verzoeken; probeer het later opnieuw.', byIp.retryAfterSeconds);
	if (!apiKey) throw new Open311Error(403, 'api_key ontbreekt: vraag de gemeente om een sleutel.');
	const keyId = await checkOpen311Key(db, apiKey);
	if (keyId === null) throw new Open311Error(403, 'Deze api_key is onbekend of ingetrokken.');
	const byKey = await consumeAll(db, [[OPEN311_LIMITS.key, String(keyId)]]);
	if (!byKey.allowed) throw new Open311Error(429, 'Te veel verzoeken met deze api_key; probeer het later opnieuw.', byKey.retryAfterSeconds);

	const raw: Record<string, string> = {};
	for (const name of Object.keys(PostSchema.shape)) {
		const v = form.get(name);
		if (typeof v === 'string' && v.trim() !== '') raw[name] = v;
	}
	const parsed = PostSchema.safeParse(raw);
	if (!parsed.success) {
		const field = String(parsed.error.issues[0]?.path[0] ?? '');
		throw new Open311Error(400, POST_FIELD_ERRORS[field] ?? 'Ongeldig verzoek.');
	}
	const input = parsed.data;
	if (input.lat === undefined || input.long === undefined) {
		throw new Open311Error(
			400,
			input.address_string
				? 'Een adres alleen kunnen wij niet op de kaart zetten: stuur lat en long mee (WGS84).'
				: 'lat en long ontbreken: een melding heeft een plek nodig (WGS84).'
		);
	}
	const [category] = await queryRows<{ id: number }>(
		db,
		sql`SELECT c.id FROM report_categories c JOIN report_categories p ON p.id = c.parent_id
		WHERE c.slug = ${input.service_code} AND c.active AND p.active`
	);
	if (!category) throw new Open311Error(404, `Onbekende service_code: ${input.service_code.slice(0, 80)}`);
	const idempotencyKey = ctx.idempotencyKey ? `open311:${keyId}:${ctx.idempotencyKey.slice(0, 200)}` : null;
	try {
		const placed = await db.transaction((tx) =>
			insertReport(tx, {
				categoryId: category.id,
				description: input.description,
				lon: input.long!,
				lat: input.lat!,
				source: 'open311',
				reporterUserId: null,
				reporterEmail: input.email?.toLowerCase() ?? null,
				contactAllowed: Boolean(input.email),
				confirmed: true,
				idempotencyKey,
				now: ctx.now
			})
		);
		return { service_request_id: String(placed.id), service_notice: 'Uw melding is ontvangen.', account_id: null };
	} catch (e) {
		if (isReportError(e) && e.code === 'outside') throw new Open311Error(400, 'Deze plek ligt buiten de gemeente.');
		if (isReportError(e) && e.code === 'unknown-category') throw new Open311Error(404, `Onbekende service_code: ${input.service_code}`);
		if (isReportError(e) && e.code === 'key-taken') throw new Open311Error(400, 'Deze Idempotency-Key is al gebruikt voor een andere melding.');
		throw e;
	}
}

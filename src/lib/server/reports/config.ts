import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Actor } from '#lib/domain/policy.js';
import { recordAudit } from '#server/audit';
import { queryRows, type Db, type Tx } from '#server/db';
import { listCategories, type Category } from './core';

/**
 * What an admin configures for reporting: the category tree with its response targets, the
 * routing rules, the partner organisations reports go to, and the API keys Open311 clients post
 * with. Every change is one transaction with its audit row.
 */

export type ConfigActor = Pick<Actor, 'id' | 'role'>;

export type ConfigResult<T = void> = { ok: true; value: T } | { ok: false; reason: ConfigRefusal };
export type ConfigRefusal = 'not-found' | 'name-taken' | 'parent-is-sub' | 'rule-exists' | 'scope';

const ok = <T>(value: T): ConfigResult<T> => ({ ok: true, value });
const no = (reason: ConfigRefusal): ConfigResult<never> => ({ ok: false, reason });

// --- Categories ------------------------------------------------------------------------

/** A slug from the Dutch name ("Kapot hek" → kapot-hek), unique with a number behind it. */
async function freeSlug(tx: Tx, name: string): Promise<string> {
	const base =
		name
			.normalize('NFKD')
			.replace(/[\u0300-\u036f]/g, '')
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, '-')
			.replace(/^-+|-+$/g, '')
			.slice(0, 40) || 'categorie';
	const taken = new Set(
		(await queryRows<{ slug: string }>(tx, sql`SELECT slug FROM report_categories WHERE slug LIKE ${base + '%'}`)).map((r) => r.slug)
	);
	if (!taken.has(base)) return base;
	for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

export interface CategoryInput {
	nameNl: string;
	nameEn: string;
	/** Working days; null = the default target. Only sub-categories have one of their own. */
	responseDays: number | null;
}

/** Adds a main category (parentId null) or a sub-category at the end of its siblings. */
export async function addCategory(
	db: Db,
	actor: ConfigActor,
	input: CategoryInput & { parentId: number | null }
): Promise<ConfigResult<{ id: number; slug: string }>> {
	return db.transaction(async (tx) => {
		if (input.parentId !== null) {
			const [parent] = await queryRows<{ parent_id: number | null }>(
				tx,
				sql`SELECT parent_id FROM report_categories WHERE id = ${input.parentId} FOR UPDATE`
			);
			if (!parent) return no('not-found');
			// Two levels only: a report's category is a sub-category of a main one.
			if (parent.parent_id !== null) return no('parent-is-sub');
		}
		const slug = await freeSlug(tx, input.nameNl);
		const responseDays = input.parentId === null ? null : input.responseDays;
		const [row] = await queryRows<{ id: number }>(
			tx,
			sql`INSERT INTO report_categories (slug, parent_id, name_nl, name_en, response_days, position)
			VALUES (${slug}, ${input.parentId}, ${input.nameNl}, ${input.nameEn}, ${responseDays},
				(SELECT coalesce(max(position) + 1, 0) FROM report_categories WHERE parent_id IS NOT DISTINCT FROM ${input.parentId}))
			RETURNING id`
		);
		await recordAudit(tx, actor, {
			action: 'report.category',
			subjectType: 'report_category',
			subjectId: row!.id,
			after: { slug, parentId: input.parentId, nameNl: input.nameNl, nameEn: input.nameEn, responseDays }
		});
		return ok({ id: row!.id, slug });
	});
}

interface CategoryRow {
	id: number;
	parent_id: number | null;
	name_nl: string;
	name_en: string;
	response_days: number | null;
	active: boolean;
	position: number;
}

async function lockCategory(tx: Tx, id: number): Promise<CategoryRow | undefined> {
	const [row] = await queryRows<CategoryRow>(
		tx,
		sql`SELECT id, parent_id, name_nl, name_en, response_days, active, position FROM report_categories WHERE id = ${id} FOR UPDATE`
	);
	return row;
}

/** Renames a category and sets its response target. Reports made before keep their deadlines. */
export async function updateCategory(db: Db, actor: ConfigActor, id: number, input: CategoryInput): Promise<ConfigResult> {
	return db.transaction(async (tx) => {
		const before = await lockCategory(tx, id);
		if (!before) return no('not-found');
		const responseDays = before.parent_id === null ? null : input.responseDays;
		await tx.execute(
			sql`UPDATE report_categories SET name_nl = ${input.nameNl}, name_en = ${input.nameEn}, response_days = ${responseDays} WHERE id = ${id}`
		);
		await recordAudit(tx, actor, {
			action: 'report.category',
			subjectType: 'report_category',
			subjectId: id,
			before: { nameNl: before.name_nl, nameEn: before.name_en, responseDays: before.response_days },
			after: { nameNl: input.nameNl, nameEn: input.nameEn, responseDays }
		});
		return ok(undefined);
	});
}

/**
 * Switches a category on or off. Off means: not offered for new reports (nor its
 * sub-categories, for a main one); reports already made keep it.
 */
export async function setCategoryActive(db: Db, actor: ConfigActor, id: number, active: boolean): Promise<ConfigResult> {
	return db.transaction(async (tx) => {
		const before = await lockCategory(tx, id);
		if (!before) return no('not-found');
		if (before.active === active) return ok(undefined);
		await tx.execute(sql`UPDATE report_categories SET active = ${active} WHERE id = ${id}`);
		await recordAudit(tx, actor, {
			action: 'report.category',
			subjectType: 'report_category',
			subjectId: id,
			before: { active: before.active },
			after: { active }
		});
		return ok(undefined);
	});
}

/** Moves a category one place up or down among its siblings (swapping positions). */
export async function moveCategory(db: Db, actor: ConfigActor, id: number, direction: 'up' | 'down'): Promise<ConfigResult> {
	return db.transaction(async (tx) => {
		const row = await lockCategory(tx, id);
		if (!row) return no('not-found');
		const siblings = await queryRows<{ id: number; position: number }>(
			tx,
			sql`SELECT id, position FROM report_categories WHERE parent_id IS NOT DISTINCT FROM ${row.parent_id}
			ORDER BY position, id FOR UPDATE`
		);
		const at = siblings.findIndex((s) => s.id === id);
		const other = siblings[direction === 'up' ? at - 1 : at + 1];
		if (!other) return ok(undefined);
		// Renumber all siblings in their new order: equal positions (seeded or old) then sort too.
		const order = siblings.map((s) => s.id);
		order[at] = other.id;
		order[siblings.indexOf(other)] = id;
		for (const [position, sid] of order.entries()) {
			await tx.execute(sql`UPDATE report_categories SET position = ${position} WHERE id = ${sid}`);
		}
		await recordAudit(tx, actor, {
			action: 'report.category',
			subjectType: 'report_category',
			subjectId: id,
			before: { position: at },
			after: { position: order.indexOf(id) }
		});
		return ok(undefined);
	});
}

/** The whole tree for the admin, inactive ones too. */
export function listAllCategories(db: Db): Promise<Category[]> {
	return listCategories(db, { activeOnly: false });
}

// --- Partner organisations ---------------------------------------------------------------

export interface PartnerOrganisation {
	id: number;
	name: string;
	kind: string | null;
	/** Accounts with the partner role in this organisation. */
	members: number;
	/** Open reports routed to it. */
	openReports: number;
}

export async function listPartners(db: Db | Tx): Promise<PartnerOrganisation[]> {
	const rows = await queryRows<{ id: number; name: string; kind: string | null; members: number; open_reports: number }>(
		db,
		sql`SELECT o.id, o.name, o.kind,
			(SELECT count(*)::int FROM users u WHERE u.partner_organisation_id = o.id AND u.role = 'partner') AS members,
			(SELECT count(*)::int FROM reports r WHERE r.partner_organisation_id = o.id AND r.state NOT IN ('done', 'cancelled')) AS open_reports
		FROM partner_organisations o ORDER BY lower(o.name), o.id`
	);
	return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, members: r.members, openReports: r.open_reports }));
}

export const PARTNER_KINDS = ['welfare', 'housing', 'public_space', 'social', 'other'] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];

async function nameTaken(tx: Tx, name: string, exceptId: number | null): Promise<boolean> {
	const rows = await queryRows<{ id: number }>(
		tx,
		sql`SELECT id FROM partner_organisations WHERE lower(name) = lower(${name}) AND id IS DISTINCT FROM ${exceptId}`
	);
	return rows.length > 0;
}

export async function addPartner(
	db: Db,
	actor: ConfigActor,
	input: { name: string; kind: PartnerKind | null }
): Promise<ConfigResult<{ id: number }>> {
	return db.transaction(async (tx) => {
		// Serialises two admins adding the same name at once (the table has no unique index).
		await tx.execute(sql`LOCK TABLE partner_organisations IN SHARE ROW EXCLUSIVE MODE`);
		if (await nameTaken(tx, input.name, null)) return no('name-taken');
		const [row] = await queryRows<{ id: number }>(
			tx,
			sql`INSERT INTO partner_organisations (name, kind) VALUES (${input.name}, ${input.kind}) RETURNING id`
		);
		await recordAudit(tx, actor, {
			action: 'report.partner',
			subjectType: 'partner_organisation',
			subjectId: row!.id,
			after: { name: input.name, kind: input.kind }
		});
		return ok({ id: row!.id });
	});
}

export async function updatePartner(
	db: Db,
	actor: ConfigActor,
	id: number,
	input: { name: string; kind: PartnerKind | null }
): Promise<ConfigResult> {
	return db.transaction(async (tx) => {
		await tx.execute(sql`LOCK TABLE partner_organisations IN SHARE ROW EXCLUSIVE MODE`);
		const [before] = await queryRows<{ name: string; kind: string | null }>(
			tx,
			sql`SELECT name, kind FROM partner_organisations WHERE id = ${id}`
		);
		if (!before) return no('not-found');
		if (await nameTaken(tx, input.name, id)) return no('name-taken');
		await tx.execute(sql`UPDATE partner_organisations SET name = ${input.name}, kind = ${input.kind} WHERE id = ${id}`);
		await recordAudit(tx, actor, {
			action: 'report.partner',
			subjectType: 'partner_organisation',
			subjectId: id,
			before,
			after: { name: input.name, kind: input.kind }
		});
		return ok(undefined);
	});
}

// --- Routing rules -----------------------------------------------------------------------

export interface RoutingRule {
	id: number;
	categoryId: number | null;
	neighbourhoodId: number | null;
	districtCode: string | null;
	/** Null: the municipality's own team. */
	partnerOrganisationId: number | null;
	partnerName: string | null;
}

export async function listRoutingRules(db: Db | Tx): Promise<RoutingRule[]> {
	const rows = await queryRows<{ id: number; category_id: number | null; neighbourhood_id: number | null; district_code: string | null; partner_organisation_id: number | null; partner_name: string | null }>(
		db,
		sql`SELECT r.id, r.category_id, r.neighbourhood_id, r.district_code, r.partner_organisation_id, o.name AS partner_name
		FROM report_routing_rules r LEFT JOIN partner_organisations o ON o.id = r.partner_organisation_id
		ORDER BY r.category_id NULLS FIRST, r.district_code NULLS FIRST, r.neighbourhood_id NULLS FIRST, r.id`
	);
	return rows.map((r) => ({
		id: r.id,
		categoryId: r.category_id,
		neighbourhoodId: r.neighbourhood_id,
		districtCode: r.district_code,
		partnerOrganisationId: r.partner_organisation_id,
		partnerName: r.partner_name
	}));
}

export interface RoutingRuleInput {
	categoryId: number | null;
	neighbourhoodId: number | null;
	districtCode: string | null;
	partnerOrganisationId: number | null;
}

/**
 * Adds a rule. A rule names a neighbourhood or a district, not both (the neighbourhood is the
 * narrower one); a second rule for the same category and place would leave which one wins to
 * chance, so it is refused. Reports already made keep their route.
 */
export async function addRoutingRule(db: Db, actor: ConfigActor, input: RoutingRuleInput): Promise<ConfigResult<{ id: number }>> {
	if (input.neighbourhoodId !== null && input.districtCode !== null) return no('scope');
	return db.transaction(async (tx) => {
		await tx.execute(sql`LOCK TABLE report_routing_rules IN SHARE ROW EXCLUSIVE MODE`);
		const checks = await queryRows<{ category: boolean; neighbourhood: boolean; district: boolean; partner: boolean; dup: boolean }>(
			tx,
			sql`SELECT
				(${input.categoryId}::int IS NULL OR EXISTS (SELECT 1 FROM report_categories WHERE id = ${input.categoryId})) AS category,
				(${input.neighbourhoodId}::int IS NULL OR EXISTS (SELECT 1 FROM neighbourhoods WHERE id = ${input.neighbourhoodId})) AS neighbourhood,
				(${input.districtCode}::text IS NULL OR EXISTS (SELECT 1 FROM neighbourhoods WHERE district_code = ${input.districtCode})) AS district,
				(${input.partnerOrganisationId}::int IS NULL OR EXISTS (SELECT 1 FROM partner_organisations WHERE id = ${input.partnerOrganisationId})) AS partner,
				EXISTS (SELECT 1 FROM report_routing_rules WHERE category_id IS NOT DISTINCT FROM ${input.categoryId}
					AND neighbourhood_id IS NOT DISTINCT FROM ${input.neighbourhoodId}
					AND district_code IS NOT DISTINCT FROM ${input.districtCode}) AS dup`
		);
		const c = checks[0]!;
		if (!c.category || !c.neighbourhood || !c.district || !c.partner) return no('not-found');
		if (c.dup) return no('rule-exists');
		const [row] = await queryRows<{ id: number }>(
			tx,
			sql`INSERT INTO report_routing_rules (category_id, neighbourhood_id, district_code, partner_organisation_id)
			VALUES (${input.categoryId}, ${input.neighbourhoodId}, ${input.districtCode}, ${input.partnerOrganisationId}) RETURNING id`
		);
		await recordAudit(tx, actor, { action: 'report.routing', subjectType: 'report_routing_rule', subjectId: row!.id, after: input });
		return ok({ id: row!.id });
	});
}

export async function deleteRoutingRule(db: Db, actor: ConfigActor, id: number): Promise<ConfigResult> {
	return db.transaction(async (tx) => {
		const [before] = await queryRows<{ category_id: number | null; neighbourhood_id: number | null; district_code: string | null; partner_organisation_id: number | null }>(
			tx,
			sql`DELETE FROM report_routing_rules WHERE id = ${id} RETURNING category_id, neighbourhood_id, district_code, partner_organisation_id`
		);
		if (!before) return no('not-found');
		await recordAudit(tx, actor, {
			action: 'report.routing',
			subjectType: 'report_routing_rule',
			subjectId: id,
			before: {
				categoryId: before.category_id,
				neighbourhoodId: before.neighbourhood_id,
				districtCode: before.district_code,
				partnerOrganisationId: before.partner_organisation_id
			}
		});
		return ok(undefined);
	});
}

// --- Open311 API keys ----------------------------------------------------------------------

/** Keys start with this, so one found in a log or a repository is recognisable. */
export const OPEN311_KEY_PREFIX = 'perkje311_';

export function hashOpen311Key(key: string): string {
	return createHash('sha256').update(key.trim()).digest('hex');
}

export interface Open311Key {
	id: number;
	name: string;
	createdAt: Date;
	revokedAt: Date | null;
}

export async function listOpen311Keys(db: Db | Tx): Promise<Open311Key[]> {
	const rows = await queryRows<{ id: number; name: string; created_at: Date; revoked_at: Date | null }>(
		db,
		sql`SELECT id, name, created_at, revoked_at FROM open311_keys ORDER BY revoked_at IS NOT NULL, created_at DESC, id DESC`
	);
	return rows.map((r) => ({ id: r.id, name: r.name, createdAt: new Date(r.created_at), revokedAt: r.revoked_at ? new Date(r.revoked_at) : null }));
}

/**
 * Makes a key for a client (a reporting app, a municipal system). The key itself is returned
 * this once: only its sha256 is stored, so nobody can read it back from the database.
 */
export async function createOpen311Key(db: Db, actor: ConfigActor, name: string): Promise<{ id: number; key: string }> {
	const key = OPEN311_KEY_PREFIX + randomBytes(24).toString('base64url');
	return db.transaction(async (tx) => {
		const [row] = await queryRows<{ id: number }>(
			tx,
			sql`INSERT INTO open311_keys (name, key_hash) VALUES (${name}, ${hashOpen311Key(key)}) RETURNING id`
		);
		await recordAudit(tx, actor, { action: 'open311.key', subjectType: 'open311_key', subjectId: row!.id, after: { name, revoked: false } });
		return { id: row!.id, key };
	});
}

export async function revokeOpen311Key(db: Db, actor: ConfigActor, id: number, now: Date): Promise<ConfigResult> {
	return db.transaction(async (tx) => {
		const [row] = await queryRows<{ name: string; revoked_at: Date | null }>(
			tx,
			sql`SELECT name, revoked_at FROM open311_keys WHERE id = ${id} FOR UPDATE`
		);
		if (!row) return no('not-found');
		if (row.revoked_at) return ok(undefined);
		await tx.execute(sql`UPDATE open311_keys SET revoked_at = ${now} WHERE id = ${id}`);
		await recordAudit(tx, actor, {
			action: 'open311.key',
			subjectType: 'open311_key',
			subjectId: id,
			before: { name: row.name, revoked: false },
			after: { name: row.name, revoked: true }
		});
		return ok(undefined);
	});
}

/** The key's id when it exists and is not revoked; null otherwise. */
export async function checkOpen311Key(db: Db | Tx, key: string | null | undefined): Promise<number | null> {
	if (!key || key.length > 200) return null;
	const [row] = await queryRows<{ id: number }>(
		db,
		sql`SELECT id FROM open311_keys WHERE key_hash = ${hashOpen311Key(key)} AND revoked_at IS NULL`
	);
	return row?.id ?? null;
}

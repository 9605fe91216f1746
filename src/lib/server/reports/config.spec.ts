import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb, queryRows } from '#server/db';
import { addNeighbourhood, square } from '#tests/integration/plots-fixtures.js';
import { categoryId } from '#tests/integration/report-fixtures.js';
import {
	addCategory,
	addPartner,
	addRoutingRule,
	checkOpen311Key,
	createOpen311Key,
	deleteRoutingRule,
	listAllCategories,
	listOpen311Keys,
	moveCategory,
	revokeOpen311Key,
	setCategoryActive,
	updateCategory,
	updatePartner
} from './config';
import { listCategories, routeFor } from './core';

/**
 * The admin's configuration on the real database: the category tree stays two levels deep,
 * routing rules decide where new reports go, partner names are unique, and an Open311 key
 * works from the moment it is made until it is revoked, its plain text stored nowhere.
 * Every change leaves an audit row.
 */
const admin = { id: 'config-spec-admin', role: 'admin' as const };
let hood: number;

async function auditCount(action: string): Promise<number> {
	const [row] = await queryRows<{ n: number }>(getDb(), sql`SELECT count(*)::int AS n FROM audit_log WHERE action = ${action}`);
	return row!.n;
}

beforeAll(async () => {
	hood = await addNeighbourhood(getDb(), 'BU-config-reports', 'Configbuurt', square(6.3, 52.7, 0.02));
	await getDb().execute(sql`UPDATE neighbourhoods SET district_code = 'WK-config' WHERE id = ${hood}`);
});

describe('report configuration', () => {
	it('adds, renames, orders and switches off categories, two levels deep, each change audited', async () => {
		const db = getDb();
		const before = await auditCount('report.category');
		const main = await addCategory(db, admin, { parentId: null, nameNl: 'Speeltuin', nameEn: 'Playground', responseDays: 9 });
		expect(main.ok).toBe(true);
		const mainId = main.ok ? main.value.id : 0;
		const a = await addCategory(db, admin, { parentId: mainId, nameNl: 'Kapot speeltoestel', nameEn: 'Broken play equipment', responseDays: 2 });
		const b = await addCategory(db, admin, { parentId: mainId, nameNl: 'Zand vervuild', nameEn: 'Dirty sand', responseDays: null });
		if (!a.ok || !b.ok) throw new Error('not added');
		expect(a.value.slug).toBe('kapot-speeltoestel');
		// Same Dutch name again: another slug, since services.json keys on it.
		const again = await addCategory(db, admin, { parentId: mainId, nameNl: 'Kapot speeltoestel', nameEn: 'x', responseDays: null });
		expect(again.ok && again.value.slug).toBe('kapot-speeltoestel-2');
		// Three levels are refused.
		expect(await addCategory(db, admin, { parentId: a.value.id, nameNl: 'Schommel', nameEn: 'Swing', responseDays: 1 })).toEqual({ ok: false, reason: 'parent-is-sub' });

		let tree = await listAllCategories(db);
		// A main category has no target of its own; its subs do.
		expect(tree.find((c) => c.id === mainId)?.responseDays).toBeNull();
		expect(tree.filter((c) => c.parentId === mainId).map((c) => c.slug)).toEqual(['kapot-speeltoestel', 'zand-vervuild', 'kapot-speeltoestel-2']);

		await moveCategory(db, admin, b.value.id, 'up');
		await updateCategory(db, admin, a.value.id, { nameNl: 'Speeltoestel kapot', nameEn: 'Play equipment broken', responseDays: 4 });
		tree = await listAllCategories(db);
		expect(tree.filter((c) => c.parentId === mainId).map((c) => [c.slug, c.nameNl, c.responseDays])).toEqual([
			['zand-vervuild', 'Zand vervuild', null],
			['kapot-speeltoestel', 'Speeltoestel kapot', 4],
			['kapot-speeltoestel-2', 'Kapot speeltoestel', null]
		]);

		// Switched off, the main category takes its subs out of what residents are offered.
		await setCategoryActive(db, admin, mainId, false);
		expect((await listCategories(db)).some((c) => c.id === a.value.id)).toBe(false);
		await setCategoryActive(db, admin, mainId, true);
		expect((await listCategories(db)).some((c) => c.id === a.value.id)).toBe(true);
		expect(await updateCategory(db, admin, 999_999_999, { nameNl: 'x', nameEn: 'x', responseDays: null })).toEqual({ ok: false, reason: 'not-found' });
		expect(await auditCount('report.category')).toBe(before + 8);
	});

	it('routes new reports by the rules, refusing a second rule for the same category and place', async () => {
		const db = getDb();
		const partner = await addPartner(db, admin, { name: `Groenbedrijf ${process.pid}`, kind: 'public_space' });
		if (!partner.ok) throw new Error('no partner');
		expect(await addPartner(db, admin, { name: `groenbedrijf ${process.pid}`, kind: null })).toEqual({ ok: false, reason: 'name-taken' });
		const onkruid = await categoryId(db, 'onkruid');
		const place = { neighbourhoodId: hood, districtCode: 'WK-config' };
		const before = await routeFor(db, onkruid, place);

		const rule = await addRoutingRule(db, admin, { categoryId: onkruid, neighbourhoodId: null, districtCode: 'WK-config', partnerOrganisationId: partner.value.id });
		if (!rule.ok) throw new Error('no rule');
		expect(await routeFor(db, onkruid, place)).toBe(partner.value.id);
		expect(await addRoutingRule(db, admin, { categoryId: onkruid, neighbourhoodId: null, districtCode: 'WK-config', partnerOrganisationId: null })).toEqual({ ok: false, reason: 'rule-exists' });
		expect(await addRoutingRule(db, admin, { categoryId: onkruid, neighbourhoodId: hood, districtCode: 'WK-config', partnerOrganisationId: null })).toEqual({ ok: false, reason: 'scope' });
		expect(await addRoutingRule(db, admin, { categoryId: onkruid, neighbourhoodId: null, districtCode: 'WK-bestaat-niet', partnerOrganisationId: null })).toEqual({ ok: false, reason: 'not-found' });
		// The neighbourhood's own rule (to the own team) beats the district's.
		const own = await addRoutingRule(db, admin, { categoryId: onkruid, neighbourhoodId: hood, districtCode: null, partnerOrganisationId: null });
		if (!own.ok) throw new Error('no rule');
		expect(await routeFor(db, onkruid, place)).toBeNull();
		await deleteRoutingRule(db, admin, own.value.id);
		expect(await routeFor(db, onkruid, place)).toBe(partner.value.id);
		await deleteRoutingRule(db, admin, rule.value.id);
		expect(await routeFor(db, onkruid, place)).toBe(before);
		expect(await deleteRoutingRule(db, admin, rule.value.id)).toEqual({ ok: false, reason: 'not-found' });

		expect((await updatePartner(db, admin, partner.value.id, { name: `Groen & Co ${process.pid}`, kind: 'other' })).ok).toBe(true);
		const [row] = await queryRows<{ name: string }>(db, sql`SELECT name FROM partner_organisations WHERE id = ${partner.value.id}`);
		expect(row!.name).toBe(`Groen & Co ${process.pid}`);
	});

	it('an Open311 key works until it is revoked, and only its hash is stored', async () => {
		const db = getDb();
		const { id, key } = await createOpen311Key(db, admin, 'Meldingen-app test');
		expect(key).toMatch(/^perkje311_[A-Za-z0-9_-]{32}$/);
		expect(await checkOpen311Key(db, key)).toBe(id);
		expect(await checkOpen311Key(db, key + 'x')).toBeNull();
		expect(await checkOpen311Key(db, '')).toBeNull();
		const stored = await queryRows<{ key_hash: string }>(db, sql`SELECT key_hash FROM open311_keys WHERE id = ${id}`);
		expect(stored[0]!.key_hash).toMatch(/^[0-9a-f]{64}$/);
		expect(JSON.stringify(await queryRows(db, sql`SELECT * FROM audit_log WHERE action = 'open311.key'`))).not.toContain(key);

		expect((await revokeOpen311Key(db, admin, id, new Date())).ok).toBe(true);
		expect(await checkOpen311Key(db, key)).toBeNull();
		expect((await listOpen311Keys(db)).find((k) => k.id === id)?.revokedAt).toBeInstanceOf(Date);
	});
});

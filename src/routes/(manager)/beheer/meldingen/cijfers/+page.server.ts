import { z } from 'zod';
import { getLocale } from '#lib/paraglide/runtime.js';
import { requirePermission } from '#server/auth';
import { getDb } from '#server/db';
import { FIGURE_GROUPS, reportFigures, shareSatisfied } from '#server/reports';
import type { PageServerLoad } from './$types';

// The period is whole days in the URL (van/tot, inclusive); nonsense there means the last 90 days.
const DAY = 86_400_000;
const Day = z.iso.date().optional().catch(undefined);

export const load = (async (event) => {
	const actor = requirePermission(event, 'report.triage');
	const params = event.url.searchParams;
	const today = new Date().toISOString().slice(0, 10);
	let from = Day.parse(params.get('van') || undefined) ?? new Date(Date.now() - 89 * DAY).toISOString().slice(0, 10);
	let to = Day.parse(params.get('tot') || undefined) ?? today;
	if (from > to) [from, to] = [to, from];
	const period = { from: new Date(`${from}T00:00:00Z`), to: new Date(new Date(`${to}T00:00:00Z`).getTime() + DAY) };
	const en = getLocale() === 'en';
	const db = getDb();
	const groups = await Promise.all(
		FIGURE_GROUPS.map(async (group) => {
			const { rows, total } = await reportFigures(db, group, period);
			const shape = (r: (typeof rows)[number]) => ({ ...r, name: en ? r.nameEn : r.nameNl, share: shareSatisfied(r) });
			return { group, rows: rows.map(shape), total: shape(total) };
		})
	);
	return { role: actor.role, from, to, groups };
}) satisfies PageServerLoad;

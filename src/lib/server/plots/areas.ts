import { asc } from 'drizzle-orm';
import type { Db } from '#server/db';
import { neighbourhoods } from '#lib/server/db/schema.js';

/** Neighbourhoods and districts an admin can give a platform account. */
export async function listAreaOptions(db: Db) {
	const rows = await db
		.select({
			id: neighbourhoods.id,
			name: neighbourhoods.name,
			districtCode: neighbourhoods.districtCode,
			districtName: neighbourhoods.districtName
		})
		.from(neighbourhoods)
		.orderBy(asc(neighbourhoods.name));
	const districts = new Map<string, string>();
	for (const r of rows) if (r.districtCode) districts.set(r.districtCode, r.districtName ?? r.districtCode);
	return {
		neighbourhoods: rows.map((r) => ({ id: r.id, name: r.name })),
		districts: [...districts].map(([code, name]) => ({ code, name })).sort((a, b) => a.name.localeCompare(b.name))
	};
}

import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from './connection';

/**
 * A data set's version as text: the row's counter and when it last changed (ms). The change
 * time is part of it because a fresh database starts counting at 0 again, and a browser must
 * not mistake its cached copy for current. Every
 * statement that writes a versioned table bumps its row of data_versions from a statement
 * trigger, in the same transaction (migrations 0003, 0006, 0012). Read here and nowhere else,
 * so the read models, the tiles and the GeoJSON downloads agree on what a version is.
 */
const VERSION_TEXT = sql`version || '.' || floor(extract(epoch FROM changed_at) * 1000)::bigint`;

/** The current versions of these data sets, by name; a data set without a row is left out. */
export async function dataVersions(db: Db | Tx, names: readonly string[]): Promise<Record<string, string>> {
	const rows = await queryRows<{ name: string; v: string }>(
		db,
		sql`SELECT name, ${VERSION_TEXT} AS v FROM data_versions
			WHERE name IN (${sql.join(
				names.map((n) => sql`${n}`),
				sql`, `
			)}) ORDER BY name`
	);
	return Object.fromEntries(rows.map((r) => [r.name, String(r.v)]));
}

/**
 * One data set's version as an SQL expression ('0' without a row), for a query that returns
 * the version together with the data it describes.
 */
export function dataVersionSql(name: string): SQL {
	return sql`coalesce((SELECT (${VERSION_TEXT})::text FROM data_versions WHERE name = ${name}), '0')`;
}

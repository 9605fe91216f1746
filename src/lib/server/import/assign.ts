import { sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '#server/db';

/**
 * The neighbourhood each polygon overlaps most, as a query of (key, neighbourhood_id),
 * for `source`: a query of (key, geom). Set-based and driven by the GIST index on
 * neighbourhoods. Most plots lie inside one neighbourhood; only for the few that cross a
 * boundary is the costly intersection area computed, fetching the (large) neighbourhood
 * geometry by id there rather than carrying it through the join — carried along, it made
 * 100,000 plots take 3.6 s instead of 0.7 s on PostgreSQL. Keys without any overlapping
 * neighbourhood are absent.
 */
export function bestNeighbourhoods(source: SQL): SQL {
	return sql`(
		with candidates as (
			select s.key, s.geom, n.id as neighbourhood_id, count(*) over (partition by s.key) as candidates
			from (${source}) s
			join neighbourhoods n on ST_Intersects(n.geom, s.geom)
		)
		select distinct on (c.key) c.key, c.neighbourhood_id
		from candidates c
		order by c.key,
		         case when c.candidates = 1 then 0
		              else (select ST_Area(ST_Intersection(c.geom, n.geom)) from neighbourhoods n
		                    where n.id = c.neighbourhood_id) end desc,
		         c.neighbourhood_id
	)`;
}

/**
 * Gives stored plots the neighbourhood they overlap most (none if they overlap none).
 * `scope` is a condition on `plots p` choosing which plots; all when absent. Only plots
 * whose neighbourhood changes are written.
 */
export async function assignNeighbourhoods(db: Db | Tx, scope?: SQL): Promise<void> {
	const where = scope ? sql`where ${scope}` : sql``;
	await db.execute(sql`
		with target as (select p.id from plots p ${where})
		update plots p set neighbourhood_id = best.neighbourhood_id
		from target
		left join ${bestNeighbourhoods(sql`select p.id as key, p.geom from plots p ${where}`)} best
		       on best.key = target.id
		where p.id = target.id and p.neighbourhood_id is distinct from best.neighbourhood_id
	`);
}

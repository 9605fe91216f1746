import { REPAIR } from '#lib/geo/polygons.js';
import type { BasemapImportSummary } from './basemap';
import type { NeighbourhoodImportSummary } from './neighbourhoods';
import type { PlotImportSummary } from './plots';

const ROUTINE_REPAIRS = new Set<string>([REPAIR.ringClosed, REPAIR.ringOrientation]);

/** How many entries of each per-feature list the text report shows. */
const SHOWN = 20;

function list<T>(title: string, items: T[], total: number, line: (item: T) => string): string[] {
	if (total === 0) return [];
	const lines = [`${title}:`, ...items.slice(0, SHOWN).map((i) => `  ${line(i)}`)];
	if (total > SHOWN) lines.push(`  … and ${total - SHOWN} more (all in import_runs.summary, up to 1000)`);
	return lines;
}

function kinds(counts: Record<string, number>): string {
	const parts = Object.entries(counts).map(([k, n]) => `${k} ${n}`);
	return parts.length ? ` (${parts.join(', ')})` : '';
}

function row(label: string, value: number | string, note = ''): string {
	return `  ${label.padEnd(26)}${String(value).padStart(8)}${note}`;
}

const crsSource = { option: 'from --crs', file: 'from the file', default: 'no crs member: RFC 7946 default' };

/** The summary an operator reads after `npm run import`. */
export function formatSummary(s: PlotImportSummary | NeighbourhoodImportSummary | BasemapImportSummary): string {
	const head =
		s.target === 'plots'
			? `Imported plots from ${s.file} into dataset "${s.dataset}"${s.synthetic ? ' (synthetic)' : ''}`
			: s.target === 'basemap'
				? `Imported basemap layer "${s.layer}" from ${s.file} into dataset "${s.dataset}"`
				: `Imported neighbourhoods from ${s.file}`;
	const lines = [
		`${head} in ${s.seconds} s; CRS ${s.crs} (${crsSource[s.crsSource]}).`,
		row('features in file', s.features),
		row('new', s.new),
		row('updated', s.updated),
		row('unchanged', s.unchanged)
	];
	if (s.target === 'plots') {
		const others = Object.entries(s.owners).filter(([o]) => o.toUpperCase() !== s.owner?.toUpperCase());
		const otherNote = others.length ? ` (other owners: ${others.map(([o, n]) => `${o} ${n}`).join(', ')})` : '';
		if (s.owner) {
			lines.push(row('not adoptable', s.notAdoptable, s.notAdoptable ? otherNote : ''));
			lines.push(row('skipped', s.skipped, s.skipped ? `${otherNote}, --skip-other-owners` : ''));
		}
	}
	lines.push(row('repaired', s.repaired, kinds(s.repairKinds)));
	lines.push(row('rejected', s.rejected));
	if (s.target === 'plots') {
		lines.push(row('vanished', s.vanished, s.vanished && !s.retired ? ' (kept; --retire-missing retires them)' : ''));
		lines.push(row('retired', s.retired));
		lines.push(row('without neighbourhood', s.withoutNeighbourhood));
	} else if (s.target === 'basemap') {
		lines.push(row('removed', s.removed, s.removed ? ' (no longer in the file)' : ''));
		lines.push(`  kinds: ${Object.entries(s.kinds).map(([k, n]) => `${k} ${n}`).join(', ')}`);
	} else {
		lines.push(row('vanished', s.vanished, s.vanished && !s.removed ? ' (kept; --remove-missing deletes them)' : ''));
		lines.push(row('removed', s.removed));
		lines.push(
			row('plots in a neighbourhood', s.plotsInNeighbourhood, ` (${s.plotsWithoutNeighbourhood} in none)`)
		);
	}
	if (s.target === 'plots' && !s.owner && Object.keys(s.owners).length > 1) {
		lines.push(
			`Note: the file has plots of ${Object.keys(s.owners).length} owners (${Object.keys(s.owners).join(', ')}), ` +
				`all imported as adoptable. Use --owner with the municipality's bronhouder code to limit that.`
		);
	}
	lines.push(
		...list('Rejected features', s.rejections, s.rejected, (r) =>
			`feature ${r.feature}${r.sourceId ? ` (${r.sourceId})` : ''}: ${r.reason}`
		),
		// Ring closing and orientation are routine (whole files have them); the rest changed
		// a shape, and an operator may want to look at those plots.
		...(() => {
			const shapeChanged = s.repairs.filter((r) => r.repairs.some((k) => !ROUTINE_REPAIRS.has(k)));
			return list('Repaired shapes', shapeChanged, shapeChanged.length, (r) =>
				`feature ${r.feature} (${r.sourceId}): ${r.repairs.join('; ')}`
			);
		})(),
		...list(
			s.target === 'plots' && s.retired
				? 'Retired (no longer in the file)'
				: s.target === 'basemap'
					? 'Removed (no longer in the file)'
					: 'Vanished (no longer in the file)',
			s.vanishedIds,
			s.vanished,
			(id) => id
		)
	);
	return lines.join('\n');
}

import path from 'node:path';
import { defaultOutFile, isUpToDate, writeSyntheticFile } from '#lib/geo/synthetic-file.js';
import { DELFT_NEIGHBOURHOODS } from './databases';

/**
 * A generated plot file for a benchmark, made once and reused while the generator and the
 * options stay the same (data/synthetic/ is git-ignored). Same file as `npm run generate`.
 */
export async function syntheticPlotsFile(plots: number, seed = 1): Promise<string> {
	const options = {
		plots,
		seed,
		owner: 'G0503',
		neighbourhoodsFile: DELFT_NEIGHBOURHOODS,
		out: defaultOutFile(plots, seed)
	};
	const shown = path.relative(process.cwd(), options.out);
	if (isUpToDate(options)) {
		console.log(`Using ${shown} (cached; delete it to generate again)`);
		return options.out;
	}
	const start = performance.now();
	await writeSyntheticFile(options);
	console.log(`Generated ${plots.toLocaleString('en')} synthetic plots in ${((performance.now() - start) / 1000).toFixed(1)} s → ${shown}`);
	return options.out;
}

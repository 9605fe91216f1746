import * as m from '#lib/paraglide/messages.js';
import type { ActivityTask } from '#lib/domain/activity.js';
import { formatCount } from '#lib/components/plots/format.js';

const TASKS: Record<ActivityTask, () => string> = {
	weeding: m.care_task_weeding,
	watering: m.care_task_watering,
	planting: m.care_task_planting,
	pruning: m.care_task_pruning,
	mowing: m.care_task_mowing,
	litter: m.care_task_litter,
	other: m.care_task_other
};

/** A task's words; a task no longer in the list (an old revision) shows as stored. */
export function taskLabel(task: ActivityTask | string): string {
	return TASKS[task as ActivityTask]?.() ?? task;
}

/** What an entry records in words: its tasks, "other" replaced by the word the adopter wrote. */
export function tasksText(tasks: readonly ActivityTask[], otherTask: string | null): string {
	return tasks.map((t) => (t === 'other' && otherTask ? otherTask : taskLabel(t))).join(', ');
}

/** Minutes as hours with at most one decimal, in the reader's locale. */
export function hoursText(minutes: number): string {
	return formatCount(Math.round(minutes / 6) / 10);
}

import type { ActivityTask } from './activity';

/**
 * A plot's care as pages show it: the shapes the activities room reads and the components
 * render (the rules themselves are in ./activity.ts).
 */

/** The work an entry records, as both its author and the public read it. */
export interface CareWork {
	id: number;
	doneOn: string;
	tasks: ActivityTask[];
	otherTask: string | null;
	minutes: number;
	people: number;
	note: string | null;
}

export interface PublicCareEntry extends CareWork {
	displayName: string | null;
	/** Logged for a team: its kind (household, street, ...), not its name. */
	teamKind: string | null;
	photos: PublicCarePhoto[];
	/** The viewer wrote it and may still change it (only with a viewer given). */
	yours: boolean;
}

export interface PublicCarePhoto {
	id: number;
	small: string;
	large: string;
	width: number;
	height: number;
}

export interface PublicCare {
	season: { from: string; entries: number; minutes: number };
	lastDoneOn: string | null;
	/** The newest entries, newest first. */
	timeline: PublicCareEntry[];
	/** Their photos, newest first, at most `galleryLimit`. */
	gallery: PublicCarePhoto[];
}

/** The care form's fields as typed, kept when it is sent back with an error. */
export interface CareFormValues {
	tasks: string[];
	otherTask: string;
	doneOn: string;
	minutes: string;
	people: string;
	note: string;
	photoIds: string[];
	idempotencyKey: string;
}

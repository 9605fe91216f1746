/**
 * The reason the importer stores on plots another organisation maintains (province, water
 * board, state). It is stored data, the same for every reader, so pages never show it as it
 * is: ownerOfImportReason() reads the owner back out and the page words it in the reader's
 * language. A re-import only makes a plot adoptable again if this, not a manager, made it not
 * adoptable, which is why the prefix must stay as it is in existing databases.
 */
export const OTHER_OWNER_REASON_PREFIX = 'Not maintained by the municipality';

export function otherOwnerReason(owner: string | null): string {
	return `${OTHER_OWNER_REASON_PREFIX} (bronhouder ${owner ?? 'unknown'})`;
}

/**
 * For a reason written by otherOwnerReason(): the owner's bronhouder code (null when the import
 * named none). For any other reason (a manager's words) or none: undefined.
 */
export function ownerOfImportReason(reason: string | null | undefined): string | null | undefined {
	if (!reason?.startsWith(OTHER_OWNER_REASON_PREFIX)) return undefined;
	const owner = /\(bronhouder (.*)\)$/.exec(reason)?.[1]?.trim();
	return owner && owner !== 'unknown' ? owner : null;
}

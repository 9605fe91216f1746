/**
 * True when If-None-Match names this ETag (or is "*"). Weak and strong forms both match:
 * If-None-Match compares weakly (RFC 9110, 13.1.2), and a proxy may weaken a tag it compressed.
 */
export function etagMatches(ifNoneMatch: string | null, etag: string): boolean {
	if (!ifNoneMatch) return false;
	const plain = (tag: string) => tag.trim().replace(/^W\//, '');
	return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || plain(tag) === plain(etag));
}

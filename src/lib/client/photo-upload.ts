/**
 * One photo to POST /api/photos with upload progress (fetch has none, XMLHttpRequest does).
 * Resolves with the server's answer; rejects only when the request never got an answer
 * (offline, connection lost), which the form treats as "keep it and send later".
 */

export type UploadAnswer =
	| { ok: true; id: number; small: string; large: string }
	| { ok: false; status: number; error: string; message: string };

export class UploadNetworkError extends Error {
	constructor() {
		super('network');
		this.name = 'UploadNetworkError';
	}
}

export function uploadPhoto(file: Blob, name: string, onProgress: (fraction: number) => void): Promise<UploadAnswer> {
	return new Promise((resolve, reject) => {
		const xhr = new XMLHttpRequest();
		xhr.open('POST', '/api/photos');
		xhr.setRequestHeader('accept', 'application/json');
		xhr.upload.onprogress = (e) => {
			if (e.lengthComputable) onProgress(e.loaded / e.total);
		};
		xhr.onload = () => {
			let body: Record<string, unknown> = {};
			try {
				body = JSON.parse(xhr.responseText) as Record<string, unknown>;
			} catch {
				// A proxy's HTML error page: answered, but not with a photo.
			}
			if (xhr.status === 201 && typeof body.id === 'number') {
				onProgress(1);
				resolve({ ok: true, id: body.id, small: String(body.small ?? ''), large: String(body.large ?? '') });
			} else {
				resolve({ ok: false, status: xhr.status, error: String(body.error ?? 'failed'), message: String(body.message ?? '') });
			}
		};
		xhr.onerror = () => reject(new UploadNetworkError());
		xhr.onabort = () => reject(new UploadNetworkError());
		const data = new FormData();
		data.append('photo', file, name);
		xhr.send(data);
	});
}

import type { Handle, HandleServerError } from '@sveltejs/kit';

// STUB — owned by the ops helper: pino request log with request ids.
export const handleRequestLog: Handle = ({ event, resolve }) => {
	event.locals.requestId = crypto.randomUUID();
	return resolve(event);
};

export const reportServerError: HandleServerError = ({ event }) => ({
	message: 'Internal error',
	requestId: event.locals.requestId
});

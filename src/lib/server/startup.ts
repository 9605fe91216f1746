// STUB — owned by the ops helper: config → municipality → database → migrations → demo seed.
export async function prepareApp(): Promise<void> {}

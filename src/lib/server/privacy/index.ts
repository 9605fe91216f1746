/**
 * A person's own data: what an export holds (./sections.ts), deleting an account
 * (./account.ts), and deleting what has outlived its purpose (./retention.ts).
 */
export * from './sections';
export * from './account';
export * from './retention';

/**
 * Accounts and sessions: Better Auth set up for Perkje (./better-auth.ts), the sign-up, sign-in
 * and reset flows (./flows.ts), the session hook (./handle.ts, ./session.ts), the guards routes
 * call (./guard.ts), accounts and staff as Perkje manages them (./users.ts) and the demo
 * accounts (./demo-accounts.ts).
 */
export * from './better-auth';
export * from './cookies';
export * from './demo-accounts';
export * from './flows';
export * from './guard';
export * from './handle';
export * from './request';
export * from './secret';
export * from './session';
export * from './users';
export * from './forms';

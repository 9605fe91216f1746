/** Rate limits on sign-in and on public posting, kept in the database. */
export * from './limiter';

/**
 * Adoptions: the lifecycle behind "Adopteer dit perk" (request, offer, approve, reject, end,
 * questions and answers: ./lifecycle.ts), the manager's decisions (./decisions.ts), the
 * manager inbox (./inbox.ts), quiet adoptions and their nudges (./quiet.ts), the adoption
 * agreement (./agreement.ts), what residents see of their own and a plot's adoptions
 * (./queries.ts), and how a refusal becomes a form message (./http.ts).
 *
 * Every write takes the Db first and runs its own transaction: it locks the plot row (see
 * plots/places.ts), checks the rules in src/lib/domain/adoption.ts, and writes the adoption,
 * one adoption_events row, its audit row and any notification in that same transaction.
 * Errors: one AdoptionError with a `code` (./errors.ts) that routes turn into a sentence.
 */
export * from './errors';
export * from './lifecycle';
export * from './decisions';
export * from './inbox';
export * from './quiet';
export * from './queries';
export * from './agreement';
export * from './http';

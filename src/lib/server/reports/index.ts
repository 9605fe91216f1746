/**
 * Problem reports (meldingen). The core every part writes through (./core.ts): placing a report
 * (plot, neighbourhood, deadline, route), moving it between states with its history, assigning
 * it, the duplicate lookup and the category tree. The work of managers and partners (./work.ts)
 * and mailing the followers of a report on each public change (./notify.ts); a question left
 * unanswered for five days moves on by itself (./jobs.ts); the demo reports (./demo.ts); the
 * managers' inbox, the partner's work list and one report as staff see it (./inbox.ts).
 */
export * from './core';
export * from './config';
export * from './open311';
export * from './feedback';
export * from './layer';
export * from './figures';
export * from './notify';
export * from './work';
export * from './demo';
export * from './jobs';
export * from './inbox';
export * from './http';
export * from './submit';
export * from './public';

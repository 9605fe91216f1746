/**
 * Problem reports (meldingen). The core every part writes through (./core.ts): placing a report
 * (plot, neighbourhood, deadline, route), moving it between states with its history, assigning
 * it, the duplicate lookup and the category tree. The work of managers and partners (./work.ts)
 * and mailing the followers of a report on each public change (./notify.ts).
 */
export * from './core';
export * from './notify';
export * from './work';

/**
 * Problem reports (meldingen). The core every part writes through (./core.ts): placing a report
 * (plot, neighbourhood, deadline, route), moving it between states with its history, assigning
 * it, the duplicate lookup and the category tree.
 */
export * from './core';
export * from './submit';
export * from './public';

/**
 * Plan renewal: the scheduler that grants due periods and writes expiry warnings, and the period
 * arithmetic it and Stripe's subscription events share.
 * @module
 */
export { startPlanScheduler, DEFAULT_EXPIRY_WARNINGS_SECONDS, type PlanScheduler, type PlanSchedulerOptions, type PlanSchedulerRun } from './scheduler.js';
export { periodAt, periodContaining, proratedUpgrade, type PlanPeriod } from './periods.js';
export { MAX_MISSED_PERIODS } from './plan-changes.js';

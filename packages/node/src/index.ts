export * from './ledger/index.js';
export * from './http/index.js';
export * from './webhooks/index.js';
export * from './stripe/index.js';
export { defaultCatalogue, findPackage, formatPrice, type CreditPackage } from './catalogue.js';
export { defaultPlans, definePlans, findPlan, isPaidPlan, DEFAULT_PLAN_PRIORITY, type CreditPlan, type CreditPlanInput, type PlanInterval } from './plans.js';
export * from './renewal/index.js';
export * from './auto-top-up/index.js';

export * from './locales.js';
export * from './problem.js';
export * from './clinic.js';
export * from './health.js';
export * from './roles.js';
export * from './auth.js';
export * from './outbox.js';

export { seedDemoClinic, type SeedOutcome } from './seed.js';
export { DEMO_CLINIC, DEMO_PATIENTS, DEMO_STAFF } from './demo-clinic.js';

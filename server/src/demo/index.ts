export { seedDemoClinic, type SeedOutcome } from './seed.js';
export { DEMO_CLINIC, DEMO_PATIENTS, DEMO_STAFF, DEMO_STAFF_PASSWORD } from './demo-clinic.js';

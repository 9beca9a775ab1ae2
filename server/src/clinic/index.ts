export { clinicRoutes } from './routes.js';
export { ensureClinic, getClinicInfo, updateClinic, type ClinicProfile } from './service.js';

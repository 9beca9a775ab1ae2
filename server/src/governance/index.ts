export { governanceRoutes } from './routes.js';
export { countCspViolations } from './csp-reports.js';

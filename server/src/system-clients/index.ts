export { clientAuthentication } from './client-authentication.js';
export { smartTokenRoutes } from './token-routes.js';
export { systemClientAdminRoutes } from './admin-routes.js';

export { AppError, ERROR_CATALOGUE, type ErrorCode, type FieldProblem } from './error-catalogue.js';
export {
  PROBLEM_CONTENT_TYPE,
  registerProblemHandlers,
  sendProblem,
  toAppError,
} from './problem.js';
export {
  NO_BODY,
  publicRoute,
  sensitive,
  duringSecondFactor,
  participant,
  realtime,
  staffOrParticipant,
  staffOrClient,
  signedIn,
  registerWithAccess,
  routeRules,
  routeViolations,
  type AccessCheck,
  type ResourceSpec,
  type RouteAccess,
  type RouteSummary,
} from './route-rules.js';
export { CSP_REPORT_PATH, registerSecurityHeaders } from './security-headers.js';
export { registerRateLimits } from './rate-limit.js';
export { API_DOCS_PATH, registerApiDocsGenerator, registerApiDocsUi } from './api-docs.js';
export { DEFAULT_WEB_ROOT, registerWebApp } from './web-app.js';
export { registerConnectionDraining } from './draining.js';
export { bearerTokenOf } from './bearer.js';
export { registerFormBodyParser } from './form-body.js';

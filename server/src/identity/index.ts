export {
  assertCsrf,
  assertRecentlyAuthenticated,
  authentication,
  cookieSettings,
  liveStaffSessionIds,
  requireSession,
  sessionCookie,
} from './authentication.js';
export { authRoutes } from './routes/auth-routes.js';
export { sessionRoutes } from './routes/session-routes.js';
export { mfaRoutes } from './routes/mfa-routes.js';
export { accountLinkRoutes } from './routes/account-link-routes.js';
export { identityAdminRoutes } from './routes/admin-routes.js';
export {
  createStaffUser,
  listColleagues,
  listStaffUsers,
  setStaffPassword,
  type NewStaffUser,
  type StaffUser,
} from './service.js';
export {
  DEFAULT_PASSWORD_POLICY,
  evaluatePassword,
  type PasswordContext,
  type PasswordPolicy,
  type PasswordVerdict,
} from './password/password-policy.js';
export { ARGON2_PARAMETERS } from './password/password-hash.js';
export { passkeyRoutes } from './routes/passkey-routes.js';
export { securityPolicyRoutes } from './routes/security-policy-routes.js';
export { ensureSecurityPolicy } from './security-policy.js';
export { staffUser as staffUserTable } from './schema.js';
export { recordSecurityEvent } from './security-events.js';
export { notifySecurityOfficers } from './security-officers.js';
export { currentSecurityPolicy } from './security-policy.js';
export { identityEncryptedColumns } from './encrypted-columns.js';

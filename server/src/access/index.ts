export {
  AccessControl,
  PolicyInvalidError,
  type AccessQuestion,
  type Decision,
} from './access-control.js';
export {
  authorization,
  changeWithAudit,
  principalOf,
  recordRequestDecisions,
} from './authorization.js';
export { decisionEntry } from './decision-log.js';
export type { Principal } from './entities.js';
export { accessPolicyRoutes } from './routes/policy-routes.js';
export { accessReviewRoutes } from './routes/review-routes.js';
export { patientAccessRoutes } from './routes/patient-access-routes.js';
export { accessHistoryRoutes } from './routes/access-history-routes.js';
export { staffNamesOf } from './access-history.js';
export { decisionView } from './reach.js';
export {
  addConsentDirective,
  addToCareTeam,
  listConsentDirectives,
  patientOfConsentDirective,
  patientsCaredForBy,
} from './care-relations.js';
export { accessEncryptedColumns } from './encrypted-columns.js';

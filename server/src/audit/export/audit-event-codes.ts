import type { Coding } from 'fhir/r4.js';
import {
  ACCESS_ACTIONS,
  SECURITY_EVENT_TYPES,
  type AccessAction,
  type AuditCategory,
  type SecurityEventType,
} from '@safeconsult/protocol';

/**
 * The terminology of the AuditEvent export: DICOM and HL7 codes where IHE's Basic Audit Log
 * Patterns (BALP) name one, and SafeConsult's own vocabulary (our action names, roles, ledger
 * positions) under stable URNs, the same in every installation, so SIEM rules carry over.
 */
export const SYSTEMS = {
  dicom: 'http://dicom.nema.org/resources/ontology/DCM',
  eventType: 'http://terminology.hl7.org/CodeSystem/audit-event-type',
  restful: 'http://hl7.org/fhir/restful-interaction',
  entityType: 'http://terminology.hl7.org/CodeSystem/audit-entity-type',
  objectRole: 'http://terminology.hl7.org/CodeSystem/object-role',
  sourceType: 'http://terminology.hl7.org/CodeSystem/security-source-type',
  participationType: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
  roleClass: 'http://terminology.hl7.org/CodeSystem/v3-RoleClass',
  actReason: 'http://terminology.hl7.org/CodeSystem/v3-ActReason',
  balpEntityType: 'https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType',
  action: 'urn:safeconsult:audit-action',
  staffRole: 'urn:safeconsult:staff-role',
  participantKind: 'urn:safeconsult:participant-kind',
  ledger: 'urn:safeconsult:audit-ledger',
  participantSession: 'urn:safeconsult:participant-session',
  systemClient: 'urn:safeconsult:system-client',
  resource: 'urn:safeconsult:resource',
} as const;

const dicom = (code: string, display: string): Coding => ({ system: SYSTEMS.dicom, code, display });

export const EVENT_TYPES = {
  rest: { system: SYSTEMS.eventType, code: 'rest', display: 'Restful Operation' },
  authentication: dicom('110114', 'User Authentication'),
  securityAlert: dicom('110113', 'Security Alert'),
  applicationActivity: dicom('110100', 'Application Activity'),
  export: dicom('110106', 'Export'),
} satisfies Record<string, Coding>;

export const LOGIN = dicom('110122', 'Login');
export const LOGOUT = dicom('110123', 'Logout');
const EMERGENCY_OVERRIDE = dicom('110127', 'Emergency Override Started');
const SECURITY_CONFIGURATION = dicom('110129', 'Security Configuration');
const USER_SECURITY_ATTRIBUTES = dicom('110137', 'User Security Attributes Changed');

export type ActionCode = 'C' | 'R' | 'U' | 'D' | 'E';
type Restful = 'read' | 'update' | 'create' | 'search-type';

/**
 * How each access-policy action reads in FHIR terms: the kind of operation (create, read, update,
 * execute) and, where there is one, the RESTful interaction. A new action fails to compile here
 * until it is placed.
 */
export const ACCESS_ACTION_CODES: Record<AccessAction, { action: ActionCode; restful?: Restful }> =
  {
    readRecord: { action: 'R', restful: 'read' },
    writeRecord: { action: 'U', restful: 'update' },
    findPatient: { action: 'E', restful: 'search-type' },
    registerPatient: { action: 'C', restful: 'create' },
    bookAppointment: { action: 'C', restful: 'create' },
    manageAppointment: { action: 'U', restful: 'update' },
    joinConsult: { action: 'E' },
    signalInConsult: { action: 'E' },
    admitParticipant: { action: 'U' },
    endConsult: { action: 'U' },
    chatInConsult: { action: 'C', restful: 'create' },
    readConsultChat: { action: 'R', restful: 'read' },
    manageCareTeam: { action: 'U', restful: 'update' },
    manageConsent: { action: 'U', restful: 'update' },
    assertEmergencyAccess: { action: 'E' },
    reviewAccess: { action: 'R', restful: 'read' },
    viewAccessHistory: { action: 'R', restful: 'read' },
    viewSettings: { action: 'R', restful: 'read' },
    changeSettings: { action: 'U', restful: 'update' },
    viewStaff: { action: 'R', restful: 'read' },
    inviteStaff: { action: 'C', restful: 'create' },
    manageStaffAccount: { action: 'U', restful: 'update' },
    manageOwnAccount: { action: 'U', restful: 'update' },
    readAudit: { action: 'R', restful: 'read' },
    reviewAudit: { action: 'U', restful: 'update' },
    readDataset: { action: 'R', restful: 'read' },
    bulkExportRecords: { action: 'E' },
  };

export const restfulCoding = (code: Restful): Coding => ({ system: SYSTEMS.restful, code });

/**
 * Security events: sign-ins and sign-outs are DICOM User Authentication (Login, Logout); changes to
 * accounts, factors and policies are Security Alerts with the DICOM subtype that names them.
 */
const SECURITY_EVENT_CODES: Record<SecurityEventType, { type: Coding; subtype?: Coding }> = {
  signed_in: { type: EVENT_TYPES.authentication, subtype: LOGIN },
  sign_in_failed: { type: EVENT_TYPES.authentication, subtype: LOGIN },
  sign_in_throttled: { type: EVENT_TYPES.authentication, subtype: LOGIN },
  mfa_verified: { type: EVENT_TYPES.authentication, subtype: LOGIN },
  reauthenticated: { type: EVENT_TYPES.authentication, subtype: LOGIN },
  participant_joined: { type: EVENT_TYPES.authentication, subtype: LOGIN },
  participant_check_failed: { type: EVENT_TYPES.authentication, subtype: LOGIN },
  invitation_accepted: { type: EVENT_TYPES.authentication, subtype: LOGIN },
  signed_out: { type: EVENT_TYPES.authentication, subtype: LOGOUT },
  session_revoked: { type: EVENT_TYPES.authentication, subtype: LOGOUT },
  sessions_revoked_by_admin: { type: EVENT_TYPES.authentication, subtype: LOGOUT },
  account_locked: { type: EVENT_TYPES.securityAlert, subtype: USER_SECURITY_ATTRIBUTES },
  account_unlocked: { type: EVENT_TYPES.securityAlert, subtype: USER_SECURITY_ATTRIBUTES },
  password_rehashed: { type: EVENT_TYPES.securityAlert, subtype: USER_SECURITY_ATTRIBUTES },
  mfa_enrolled: { type: EVENT_TYPES.securityAlert, subtype: USER_SECURITY_ATTRIBUTES },
  mfa_removed: { type: EVENT_TYPES.securityAlert, subtype: USER_SECURITY_ATTRIBUTES },
  staff_invited: { type: EVENT_TYPES.securityAlert, subtype: USER_SECURITY_ATTRIBUTES },
  password_reset_requested: { type: EVENT_TYPES.securityAlert, subtype: USER_SECURITY_ATTRIBUTES },
  password_reset: { type: EVENT_TYPES.securityAlert, subtype: USER_SECURITY_ATTRIBUTES },
  participant_link_locked: { type: EVENT_TYPES.securityAlert, subtype: USER_SECURITY_ATTRIBUTES },
  security_policy_changed: { type: EVENT_TYPES.securityAlert, subtype: SECURITY_CONFIGURATION },
  access_policy_changed: { type: EVENT_TYPES.securityAlert, subtype: SECURITY_CONFIGURATION },
  emergency_access_granted: { type: EVENT_TYPES.securityAlert, subtype: EMERGENCY_OVERRIDE },
  emergency_access_reviewed: { type: EVENT_TYPES.securityAlert },
  // The security officer's review work: no DICOM subtype names it.
  audit_alert_raised: { type: EVENT_TYPES.securityAlert },
  audit_alert_dismissed: { type: EVENT_TYPES.securityAlert },
  incident_opened: { type: EVENT_TYPES.securityAlert },
  incident_updated: { type: EVENT_TYPES.securityAlert },
  incident_closed: { type: EVENT_TYPES.securityAlert },
  system_client_registered: { type: EVENT_TYPES.securityAlert, subtype: SECURITY_CONFIGURATION },
  system_client_changed: { type: EVENT_TYPES.securityAlert, subtype: SECURITY_CONFIGURATION },
  client_token_issued: { type: EVENT_TYPES.authentication, subtype: LOGIN },
  client_token_refused: { type: EVENT_TYPES.authentication, subtype: LOGIN },
  ehr_connection_changed: { type: EVENT_TYPES.securityAlert, subtype: SECURITY_CONFIGURATION },
};

const isSecurityEvent = (action: string): action is SecurityEventType =>
  (SECURITY_EVENT_TYPES as readonly string[]).includes(action);
/** An action of a policy version that has since dropped it still exports, as an execution. */
const accessCodesOf = (action: string) =>
  (ACCESS_ACTIONS as readonly string[]).includes(action)
    ? ACCESS_ACTION_CODES[action as AccessAction]
    : undefined;

/** The event type and standard subtype of a ledger entry, by its category and action. */
export function eventTypeOf(
  category: AuditCategory,
  action: string,
): { type: Coding; subtype?: Coding } {
  switch (category) {
    case 'access': {
      const restful = accessCodesOf(action)?.restful;
      return { type: EVENT_TYPES.rest, ...(restful ? { subtype: restfulCoding(restful) } : {}) };
    }
    case 'security':
      return isSecurityEvent(action)
        ? SECURITY_EVENT_CODES[action]
        : { type: EVENT_TYPES.securityAlert };
    case 'consult':
      // Activity inside the application (a participant joining a consult); our action says which.
      return { type: EVENT_TYPES.applicationActivity };
    case 'export':
      return { type: EVENT_TYPES.export };
  }
}

/** The C/R/U/D/E of an entry: exports are reads, authentications and consult events executions. */
export function actionCodeOf(category: AuditCategory, action: string): ActionCode {
  switch (category) {
    case 'access':
      return accessCodesOf(action)?.action ?? 'E';
    case 'export':
      return 'R';
    case 'security':
    case 'consult':
      return 'E';
  }
}

/**
 * The ledger entries whose AuditEvent has the given action code, as the store can select them:
 * whole categories, and access entries by their action name (the inverse of `actionCodeOf`).
 */
export function entriesWithActionCode(code: ActionCode): {
  categories: AuditCategory[];
  access: { in: string[] } | { notIn: string[] };
} {
  const actions = (wanted: (c: ActionCode) => boolean) =>
    ACCESS_ACTIONS.filter((a) => wanted(ACCESS_ACTION_CODES[a].action));
  switch (code) {
    case 'E':
      // Actions a later policy dropped read as executions, so E is "none of the others".
      return { categories: ['security', 'consult'], access: { notIn: actions((c) => c !== 'E') } };
    case 'R':
      return { categories: ['export'], access: { in: actions((c) => c === 'R') } };
    case 'C':
    case 'U':
    case 'D':
      return { categories: [], access: { in: actions((c) => c === code) } };
  }
}

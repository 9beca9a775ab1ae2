import { z } from 'zod';
import { STAFF_ROLES } from './roles.js';

/**
 * The actions of the access policy (policies/schema.cedarschema). Every route and realtime
 * message names one; the policy decides it.
 */
export const ACCESS_ACTIONS = [
  'readRecord',
  'writeRecord',
  'findPatient',
  'registerPatient',
  'bookAppointment',
  'manageAppointment',
  'joinConsult',
  'signalInConsult',
  'admitParticipant',
  'endConsult',
  'chatInConsult',
  'readConsultChat',
  'manageCareTeam',
  'manageConsent',
  'assertEmergencyAccess',
  'reviewAccess',
  'viewAccessHistory',
  'viewSettings',
  'changeSettings',
  'viewStaff',
  'inviteStaff',
  'manageStaffAccount',
  'manageOwnAccount',
  'readAudit',
  'reviewAudit',
  'readDataset',
  'bulkExportRecords',
] as const;
export type AccessAction = (typeof ACCESS_ACTIONS)[number];

/**
 * The sections of a patient's record. The administrative ones identify, contact and schedule a
 * patient; the clinical ones are the care itself.
 */
export const ADMINISTRATIVE_SECTIONS = ['demographics', 'scheduling'] as const;
export const CLINICAL_SECTIONS = [
  'problems',
  'allergies',
  'medications',
  'observations',
  'clinical_notes',
  'files',
] as const;
export const RECORD_SECTIONS = [...ADMINISTRATIVE_SECTIONS, ...CLINICAL_SECTIONS] as const;
export type RecordSectionName = (typeof RECORD_SECTIONS)[number];

/**
 * Sensitivity labels a patient may withhold, from HL7 v3 ActCode (the codes FHIR puts in
 * `meta.security`).
 */
export const SENSITIVITY_LABELS = {
  PSY: 'mental health',
  ETH: 'substance use',
  HIV: 'HIV/AIDS',
  STD: 'sexually transmitted disease',
  SDV: 'sexual and domestic violence',
  GDIS: 'genetic disease',
} as const;
export type SensitivityLabel = keyof typeof SENSITIVITY_LABELS;
export const SENSITIVITY_LABEL_CODES = Object.keys(SENSITIVITY_LABELS) as [
  SensitivityLabel,
  ...SensitivityLabel[],
];
/** The code system of the labels in FHIR `meta.security`. */
export const ACT_CODE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';

export const SETTINGS_IDS = [
  'clinic',
  'sign-in-policy',
  'access-policy',
  'outbox',
  'system-clients',
  'ehr-connection',
] as const;
/** `staff`: accounts with their security state; `colleagues`: names and roles only. */
export const DIRECTORY_IDS = ['staff', 'colleagues', 'patients'] as const;
export const AUDIT_LOG_IDS = ['audit-trail', 'sign-in-activity', 'emergency-access'] as const;

/** What a request touches, in the policy's terms. */
export const resourceRefSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('RecordSection'),
    patientId: z.uuid(),
    section: z.enum(RECORD_SECTIONS),
    labels: z.array(z.enum(SENSITIVITY_LABEL_CODES)).max(6).optional(),
  }),
  z.strictObject({ type: z.literal('Patient'), id: z.uuid() }),
  z.strictObject({ type: z.literal('Appointment'), id: z.uuid() }),
  z.strictObject({ type: z.literal('User'), id: z.uuid() }),
  z.strictObject({ type: z.literal('Settings'), id: z.enum(SETTINGS_IDS) }),
  z.strictObject({ type: z.literal('Directory'), id: z.enum(DIRECTORY_IDS) }),
  z.strictObject({ type: z.literal('AuditLog'), id: z.enum(AUDIT_LOG_IDS) }),
  z.strictObject({
    type: z.literal('ResearchDataset'),
    id: z.string().min(1).max(100),
    deidentified: z.boolean(),
  }),
]);
export type ResourceRef = z.infer<typeof resourceRefSchema>;

/** A policy file as the security officer reads and edits it. */
export const policyFileSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,60}\.cedar$/, 'a lower-case file name ending in .cedar'),
  text: z.string().max(200_000),
});
export type PolicyFile = z.infer<typeof policyFileSchema>;

/** A problem in a policy set: where, and what. */
export const policyProblemSchema = z.object({
  file: z.string(),
  line: z.number().int(),
  column: z.number().int(),
  message: z.string(),
});
export type PolicyProblem = z.infer<typeof policyProblemSchema>;

export const accessPolicyVersionSchema = z.object({
  version: z.number().int(),
  createdAt: z.iso.datetime(),
  createdBy: z.string().nullable(),
  note: z.string(),
  active: z.boolean(),
});

export const accessPolicyStateSchema = z.object({
  version: z.number().int(),
  files: z.array(policyFileSchema),
  schema: z.string(),
  versions: z.array(accessPolicyVersionSchema),
});
export type AccessPolicyState = z.infer<typeof accessPolicyStateSchema>;

/** The policy that decided, with the comment its author wrote above it. */
export const determiningPolicySchema = z.object({
  id: z.string(),
  file: z.string(),
  effect: z.enum(['permit', 'forbid']),
  explanation: z.string(),
});

export const decisionSchema = z.object({
  decision: z.enum(['allow', 'deny']),
  /** Empty on a deny: nothing permitted it (deny by default). */
  policies: z.array(determiningPolicySchema),
});
export type AccessDecisionView = z.infer<typeof decisionSchema>;

export const reachRowSchema = z.object({
  userId: z.uuid(),
  displayName: z.string(),
  role: z.enum(STAFF_ROLES),
  read: decisionSchema,
  write: decisionSchema,
});
export const patientReachSchema = z.object({
  patientId: z.uuid(),
  section: z.enum(RECORD_SECTIONS),
  policyVersion: z.number().int(),
  staff: z.array(reachRowSchema),
});
export type PatientReach = z.infer<typeof patientReachSchema>;

/** A request to try against a proposed policy: who, doing what, to what. */
export const sampleRequestSchema = z.strictObject({
  userId: z.uuid(),
  action: z.enum(ACCESS_ACTIONS),
  resource: resourceRefSchema,
});
export type SampleRequest = z.infer<typeof sampleRequestSchema>;

export const whatIfRequestSchema = z.strictObject({
  files: z.array(policyFileSchema).min(1).max(50),
  samples: z.array(sampleRequestSchema).max(500).default([]),
  /** How many of the most recent real decisions to replay. */
  replayRecent: z.number().int().min(0).max(5_000).default(200),
});

export const whatIfOutcomeSchema = z.object({
  request: z.object({
    userId: z.string(),
    displayName: z.string(),
    role: z.string(),
    action: z.string(),
    resource: resourceRefSchema,
  }),
  current: decisionSchema,
  proposed: decisionSchema,
  changed: z.boolean(),
});

export const whatIfResultSchema = z.object({
  valid: z.boolean(),
  problems: z.array(policyProblemSchema),
  samples: z.array(whatIfOutcomeSchema),
  /** Replayed real decisions whose outcome the proposal would change. */
  replayed: z.number().int(),
  changedRecent: z.array(whatIfOutcomeSchema),
});
export type WhatIfResult = z.infer<typeof whatIfResultSchema>;

export const activatePolicySchema = z.strictObject({
  files: z.array(policyFileSchema).min(1).max(50),
  /** The version the edit started from; a newer active version makes this a conflict. */
  basedOn: z.number().int().min(1),
  note: z.string().trim().min(3).max(500),
});

export const emergencyAccessRequestSchema = z.strictObject({
  reason: z.string().trim().min(10, 'Say in a sentence why this is an emergency.').max(1000),
});

export const emergencyGrantSchema = z.object({
  id: z.uuid(),
  patientId: z.uuid(),
  userId: z.uuid(),
  displayName: z.string(),
  reason: z.string(),
  startedAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  reviewedAt: z.iso.datetime().nullable(),
  reviewedBy: z.string().nullable(),
  reviewNote: z.string().nullable(),
});
export type EmergencyGrant = z.infer<typeof emergencyGrantSchema>;

export const emergencyReviewSchema = z.strictObject({
  note: z.string().trim().min(3).max(1000),
});

export const careTeamMemberSchema = z.object({
  userId: z.uuid(),
  displayName: z.string(),
  role: z.enum(STAFF_ROLES),
  addedAt: z.iso.datetime(),
});
export const addCareTeamMemberSchema = z.strictObject({ userId: z.uuid() });

/**
 * A patient's consent directive: a member of staff refused, or content with a sensitivity label
 * withheld from all staff.
 */
export const newConsentDirectiveSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('exclude_staff'), userId: z.uuid() }),
  z.strictObject({ kind: z.literal('withhold_label'), label: z.enum(SENSITIVITY_LABEL_CODES) }),
]);
export const consentDirectiveSchema = z.object({
  id: z.uuid(),
  kind: z.enum(['exclude_staff', 'withhold_label']),
  userId: z.uuid().nullable(),
  displayName: z.string().nullable(),
  label: z.enum(SENSITIVITY_LABEL_CODES).nullable(),
  recordedAt: z.iso.datetime(),
});
export type ConsentDirective = z.infer<typeof consentDirectiveSchema>;

/** How a member of staff relates to a patient right now, as the patient list shows it. */
export const CARE_RELATIONSHIPS = ['care_team', 'consult', 'emergency', 'none'] as const;

export const patientSummarySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  birthDate: z.string().nullable(),
  mrn: z.string().nullable(),
  relationship: z.enum(CARE_RELATIONSHIPS),
});
export type PatientSummary = z.infer<typeof patientSummarySchema>;

export const patientLookupSchema = z.strictObject({ mrn: z.string().trim().min(1).max(64) });
export const patientLookupResultSchema = z.object({
  patientId: z.uuid(),
  /** Whether the caller may open the record now; if not, a clinician may assert emergency access. */
  reachable: z.boolean(),
});

export const recordSectionSchema = z.object({
  patientId: z.uuid(),
  section: z.enum(RECORD_SECTIONS),
  /** FHIR R4 resources, as stored. Content the patient withheld is left out, without a trace. */
  items: z.array(z.record(z.string(), z.unknown())),
  /** Why the caller may see this section: the policies that allowed it. */
  allowedBy: z.array(determiningPolicySchema),
});
export type RecordSectionView = z.infer<typeof recordSectionSchema>;

/** A colleague as anyone on staff may see them: to put on a care team, or for a patient to refuse. */
export const colleagueSchema = z.object({
  userId: z.uuid(),
  displayName: z.string(),
  role: z.enum(STAFF_ROLES),
});
export type Colleague = z.infer<typeof colleagueSchema>;

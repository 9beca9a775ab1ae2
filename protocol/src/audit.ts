import { z } from 'zod';
import { resourceRefSchema } from './access.js';

/** What an audit ledger entry is about. */
export const AUDIT_CATEGORIES = [
  /** A decision of the access policy: every one about patient data, and every refusal. */
  'access',
  /** Sign-ins, factors, sessions, accounts, policy and settings changes, emergency access. */
  'security',
  /** Consult events: joined, admitted, ended. */
  'consult',
  /** Data leaving the product: exports of records or of the audit trail. */
  'export',
] as const;
export type AuditCategory = (typeof AUDIT_CATEGORIES)[number];

export const AUDIT_OUTCOMES = ['allowed', 'refused', 'succeeded', 'failed'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** Who acted: a staff account, a patient or companion in a consult, nobody signed in, the server. */
export const AUDIT_ACTOR_TYPES = ['staff', 'participant', 'anonymous', 'system'] as const;
export type AuditActorType = (typeof AUDIT_ACTOR_TYPES)[number];

const detailSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

/** One ledger entry as the API shows it; `sequence` is null until the entry is integrated. */
export const auditEntrySchema = z.object({
  id: z.number().int(),
  sequence: z.number().int().nullable(),
  at: z.iso.datetime(),
  category: z.enum(AUDIT_CATEGORIES),
  action: z.string(),
  outcome: z.enum(AUDIT_OUTCOMES),
  actor: z.object({
    type: z.enum(AUDIT_ACTOR_TYPES),
    id: z.string().nullable(),
    role: z.string().nullable(),
    label: z.string().nullable(),
  }),
  subjectUserId: z.uuid().nullable(),
  patientId: z.uuid().nullable(),
  resource: resourceRefSchema.nullable(),
  policies: z.array(z.string()).nullable(),
  policyVersion: z.number().int().nullable(),
  requestId: z.string().nullable(),
  address: z.string().nullable(),
  detail: detailSchema.nullable(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

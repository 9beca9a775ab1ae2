import { z } from 'zod';
import { smartScopeSchema } from './system-clients.js';

/** How SafeConsult authenticates to the external EHR's FHIR API. */
export const EHR_AUTH_KINDS = ['smart-backend', 'bearer'] as const;

/** The EHR connection as the administrator sets it; secrets go in, never come back out. */
export const ehrConnectionInputSchema = z.strictObject({
  /** The EHR's FHIR R4 base, e.g. https://ehr.example/fhir (no trailing slash needed). */
  baseUrl: z.url({ protocol: /^https?$/ }).max(500),
  /** The identifier system under which the EHR knows our patients' record numbers. */
  patientIdentifierSystem: z.string().min(1).max(500),
  auth: z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('smart-backend'),
      /** The client id the EHR assigned when our public key was registered there. */
      clientId: z.string().min(1).max(500),
      scopes: z.array(smartScopeSchema).min(1).max(50),
    }),
    z.strictObject({ kind: z.literal('bearer'), token: z.string().min(1).max(8_000) }),
  ]),
});
export type EhrConnectionInput = z.infer<typeof ehrConnectionInputSchema>;

export const ehrConnectionSchema = z.object({
  baseUrl: z.string().nullable(),
  patientIdentifierSystem: z.string().nullable(),
  authKind: z.enum(EHR_AUTH_KINDS).nullable(),
  clientId: z.string().nullable(),
  scopes: z.array(z.string()),
  /** Our public key set, to register with the EHR; null until a key pair is made. */
  publicJwks: z.object({ keys: z.array(z.looseObject({ kty: z.string() })) }).nullable(),
  hasBearerToken: z.boolean(),
});
export type EhrConnection = z.infer<typeof ehrConnectionSchema>;

export const ehrImportResultSchema = z.object({
  /** The EHR's patient the local one was matched to, by record number. */
  remotePatient: z.string(),
  added: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  /** Resources the EHR sent that are not valid FHIR R4 here; left out. */
  skipped: z.number().int(),
});
export type EhrImportResult = z.infer<typeof ehrImportResultSchema>;

const EHR_WRITEBACK_STATES = ['pending', 'delivered'] as const;
export const ehrWritebackSchema = z.object({
  state: z.enum(EHR_WRITEBACK_STATES),
  attempts: z.number().int(),
  nextAttemptAt: z.iso.datetime().nullable(),
  lastError: z.string().nullable(),
  remoteEncounter: z.string().nullable(),
  remoteDocument: z.string().nullable(),
  deliveredAt: z.iso.datetime().nullable(),
});
export type EhrWriteback = z.infer<typeof ehrWritebackSchema>;

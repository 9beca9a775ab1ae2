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

/**
 * Who acted: a staff account, a patient or companion in a consult, nobody signed in, the server,
 * or a registered system client (another system calling the FHIR API with an access token).
 */
export const AUDIT_ACTOR_TYPES = ['staff', 'participant', 'anonymous', 'system', 'client'] as const;
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

/** A SHA-256 hash of the ledger's Merkle tree (RFC 9162), in lowercase hex. */
const merkleHashSchema = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * A signed tree head: the ledger's size and root when it was signed. The Ed25519 signature covers
 * "SafeConsult audit tree head v1\0" ‖ treeSize (u64 BE) ‖ rootHash (32 bytes) ‖ timestamp (u64 BE)
 * ‖ keyId (16 bytes), so anyone with the public key can check it.
 */
export const signedTreeHeadSchema = z.object({
  treeSize: z.number().int().nonnegative(),
  rootHash: merkleHashSchema,
  /** Milliseconds since the Unix epoch, as signed. */
  timestamp: z.number().int().nonnegative(),
  /** The first 16 bytes of SHA-256 of the raw public key, in hex. */
  keyId: z.string().regex(/^[0-9a-f]{32}$/),
  signature: z.base64(),
});
export type SignedTreeHeadJson = z.infer<typeof signedTreeHeadSchema>;

/** The latest signed head, with the key that verifies the heads this server signs. */
export const auditTreeHeadSchema = z.object({
  treeHead: signedTreeHeadSchema,
  publicKey: z.object({
    keyId: z.string().regex(/^[0-9a-f]{32}$/),
    /** SPKI, PEM-encoded Ed25519 public key. */
    pem: z.string(),
  }),
});
export type AuditTreeHead = z.infer<typeof auditTreeHeadSchema>;

/** The proof that an entry is leaf `sequence − 1` of the tree a signed head vouches for. */
export const auditInclusionProofSchema = z.object({
  sequence: z.number().int().positive(),
  leafIndex: z.number().int().nonnegative(),
  /** The entry's RFC 9162 leaf hash, rebuilt from its stored columns. */
  leafHash: merkleHashSchema,
  /** RFC 9162 inclusion path, leaf to root. */
  inclusionPath: z.array(merkleHashSchema),
  treeHead: signedTreeHeadSchema,
});
export type AuditInclusionProof = z.infer<typeof auditInclusionProofSchema>;

/** The proof that the tree of one signed head is a prefix of the tree of a later one. */
export const auditConsistencyProofSchema = z.object({
  from: signedTreeHeadSchema,
  to: signedTreeHeadSchema,
  /** RFC 9162 consistency path; empty when both heads are of one size. */
  consistencyPath: z.array(merkleHashSchema),
});
export type AuditConsistencyProof = z.infer<typeof auditConsistencyProofSchema>;

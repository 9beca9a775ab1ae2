/**
 * The audit ledger: entries appended in the transaction of the change they record, integrated into
 * an RFC 9162 Merkle tree with signed tree heads, and verified end to end.
 */
export { appendAuditEntries } from './ledger/append.js';
export {
  toAuditEntry,
  type AuditDetail,
  type AuditEntryInput,
  type AuditEntryRow,
} from './ledger/entry.js';
export { readHeadFile } from './ledger/head-file.js';
export { LedgerIntegrator } from './ledger/integrator.js';
export {
  pendingEntryCount,
  storedLedgerEntries,
  storedTreeHeads,
  storedTreeState,
} from './ledger/read.js';
export { auditEntry as auditEntryTable } from './schema.js';
export { CompactRange, rootOfLeafHashes } from './merkle/compact-range.js';
export {
  consistencyProof,
  consistencyProofRanges,
  verifyConsistency,
} from './merkle/consistency.js';
export { EMPTY_ROOT, HASH_BYTES, hashChildren, hashLeaf } from './merkle/hash.js';
export { inclusionProof, inclusionProofRanges, verifyInclusion } from './merkle/inclusion.js';
export {
  rangeRoot,
  subtreesOf,
  treeRoot,
  type LeafHashSource,
  type Subtree,
  type SubtreeHasher,
} from './merkle/subtree-source.js';
export type { LeafRange } from './merkle/tree-math.js';
export {
  keyIdOf,
  loadTreeHeadSigningKey,
  publicKeyPem,
  TreeHeadKeyError,
  verifyingKeyFromPem,
  type TreeHeadKeySource,
  type TreeHeadSigningKey,
  type TreeHeadVerifyingKey,
} from './tree-head/signing-key.js';
export {
  encodeTreeHead,
  signTreeHead,
  verifyTreeHead,
  type SignedTreeHead,
  type TreeHead,
} from './tree-head/tree-head.js';
export type { LedgerEntry, LedgerFailure, LedgerReport } from './verify/ledger-report.js';
export { LedgerVerifier, verifyLedger } from './verify/ledger-verifier.js';
export { runAuditCommand } from './verify/verify-command.js';
export {
  auditExportRoutes,
  EXPORT_COUNT_HEADER,
  type AuditExportOptions,
} from './export/export-routes.js';
export {
  auditEventAt,
  auditEventsReadEntry,
  searchAuditEvents,
  type AuditDateBound,
  type AuditEventFilter,
  type AuditEventSearch,
} from './export/audit-event-search.js';
export { SYSTEMS as AUDIT_EVENT_SYSTEMS, type ActionCode } from './export/audit-event-codes.js';
export { auditReviewRoutes } from './review/routes/index.js';
export { auditProofRoutes } from './proofs/proof-routes.js';
export {
  consistencyProofFromStore,
  inclusionProofFromStore,
  type StoredInclusionProof,
} from './proofs/store-proofs.js';
export { AlertMonitor, evaluateAlerts } from './review/alert-monitor.js';
export {
  auditIncident as auditIncidentTable,
  auditIncidentAction as auditIncidentActionTable,
} from './schema.js';
export { auditEncryptedColumns } from './encrypted-columns.js';

/**
 * The audit ledger's tamper evidence (RFC 9162 Merkle trees, signed tree heads, whole-ledger
 * verification). Pure: storage and routes build on it.
 */
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

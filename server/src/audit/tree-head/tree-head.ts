import { sign, verify } from 'node:crypto';
import { HASH_BYTES, isHash } from '../merkle/hash.js';
import { isCount } from '../merkle/tree-math.js';
import type { TreeHeadSigningKey, TreeHeadVerifyingKey } from './signing-key.js';

/** The ledger's state at one moment: its size and root, when it was taken. */
export interface TreeHead {
  treeSize: number;
  rootHash: Uint8Array;
  /** Milliseconds since the Unix epoch. */
  timestamp: number;
}

export interface SignedTreeHead extends TreeHead {
  keyId: string;
  /** Ed25519 over encodeTreeHead(head, keyId). */
  signature: Uint8Array;
}

/** Keeps a tree-head signature from being taken for a signature over anything else. */
const DOMAIN = Buffer.from('SafeConsult audit tree head v1\0', 'ascii');
const KEY_ID = /^[0-9a-f]{32}$/;
const SIGNATURE_BYTES = 64;

/**
 * The signed bytes: domain ‖ tree size (u64 BE) ‖ root hash (32) ‖ timestamp ms (u64 BE) ‖ key id
 * (16). Every field has a fixed width, so no two heads share an encoding.
 */
export function encodeTreeHead(head: TreeHead, keyId: string): Buffer {
  if (!isWellFormed(head, keyId)) {
    throw new RangeError('A tree head has a whole size and time, a 32-byte root and a key id.');
  }
  const bytes = Buffer.alloc(DOMAIN.length + 8 + HASH_BYTES + 8 + 16);
  let at = DOMAIN.copy(bytes);
  at = bytes.writeBigUInt64BE(BigInt(head.treeSize), at);
  bytes.set(head.rootHash, at);
  at += HASH_BYTES;
  at = bytes.writeBigUInt64BE(BigInt(head.timestamp), at);
  Buffer.from(keyId, 'hex').copy(bytes, at);
  return bytes;
}

export function signTreeHead(head: TreeHead, key: TreeHeadSigningKey): SignedTreeHead {
  const signature = sign(null, encodeTreeHead(head, key.keyId), key.privateKey);
  const { treeSize, timestamp } = head;
  return { treeSize, rootHash: Buffer.from(head.rootHash), timestamp, keyId: key.keyId, signature };
}

/** False for another key's head and for any malformed head: heads are read back from storage. */
export function verifyTreeHead(head: SignedTreeHead, key: TreeHeadVerifyingKey): boolean {
  if (head.keyId !== key.keyId || !isWellFormed(head, head.keyId)) return false;
  if (!(head.signature instanceof Uint8Array) || head.signature.length !== SIGNATURE_BYTES) {
    return false;
  }
  return verify(null, encodeTreeHead(head, head.keyId), key.publicKey, head.signature);
}

function isWellFormed(head: TreeHead, keyId: string): boolean {
  return (
    isCount(head.treeSize) && isCount(head.timestamp) && isHash(head.rootHash) && KEY_ID.test(keyId)
  );
}

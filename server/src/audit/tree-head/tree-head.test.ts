import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashLeaf } from '../merkle/hash.js';
import {
  keyIdOf,
  publicKeyPem,
  verifyingKeyFromPem,
  type TreeHeadSigningKey,
} from './signing-key.js';
import { encodeTreeHead, signTreeHead, verifyTreeHead, type TreeHead } from './tree-head.js';

function newKey(): TreeHeadSigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

const key = newKey();
const head: TreeHead = {
  treeSize: 500,
  rootHash: hashLeaf(Buffer.from('root')),
  timestamp: Date.UTC(2025, 0, 15, 9, 30),
};

describe('signed tree heads', () => {
  it('verify with only the exported public key', () => {
    const signed = signTreeHead(head, key);
    const verifier = verifyingKeyFromPem(publicKeyPem(key));
    expect(verifier.keyId).toBe(key.keyId);
    expect(verifier.keyId).toMatch(/^[0-9a-f]{32}$/);
    expect(signed.signature).toHaveLength(64);
    expect(verifyTreeHead(signed, verifier)).toBe(true);
  });

  it('fail when the size, root, time or key id changed', () => {
    const signed = signTreeHead(head, key);
    const flip = (bytes: Uint8Array) => {
      const copy = Buffer.from(bytes);
      copy[0] = (copy[0] as number) ^ 1;
      return copy;
    };
    for (const changed of [
      { ...signed, treeSize: 501 },
      { ...signed, treeSize: 499 },
      { ...signed, rootHash: flip(signed.rootHash) },
      { ...signed, timestamp: signed.timestamp + 1 },
      { ...signed, keyId: newKey().keyId },
      { ...signed, signature: flip(signed.signature) },
    ]) {
      expect(verifyTreeHead(changed, key)).toBe(false);
    }
  });

  it('fail for a head signed by another key, even one that claims this key id', () => {
    const other = newKey();
    expect(verifyTreeHead(signTreeHead(head, other), key)).toBe(false);
    const impostor = { ...other, keyId: key.keyId };
    expect(verifyTreeHead(signTreeHead(head, impostor), key)).toBe(false);
  });

  it('fail for malformed heads read back from storage, rather than throw', () => {
    const signed = signTreeHead(head, key);
    for (const malformed of [
      { ...signed, treeSize: -1 },
      { ...signed, timestamp: 1.5 },
      { ...signed, rootHash: Buffer.alloc(31) },
      { ...signed, signature: signed.signature.subarray(0, 63) },
      { ...signed, keyId: 'not hex' },
    ]) {
      expect(verifyTreeHead(malformed, key)).toBe(false);
    }
  });

  it('encode every field at a fixed width after a domain prefix', () => {
    const bytes = encodeTreeHead(head, key.keyId);
    const prefix = Buffer.from('SafeConsult audit tree head v1\0');
    expect(bytes.subarray(0, prefix.length).equals(prefix)).toBe(true);
    expect(bytes).toHaveLength(prefix.length + 8 + 32 + 8 + 16);
    expect(bytes.readBigUInt64BE(prefix.length)).toBe(500n);
    expect(bytes.subarray(prefix.length + 8, prefix.length + 40).equals(head.rootHash)).toBe(true);
    expect(bytes.readBigUInt64BE(prefix.length + 40)).toBe(BigInt(head.timestamp));
    expect(bytes.subarray(prefix.length + 48).toString('hex')).toBe(key.keyId);
    expect(() => encodeTreeHead({ ...head, treeSize: 2 ** 53 }, key.keyId)).toThrow(RangeError);
  });
});

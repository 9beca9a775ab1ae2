import { generateKeyPairSync } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  keyIdOf,
  loadTreeHeadSigningKey,
  publicKeyPem,
  TreeHeadKeyError,
  verifyingKeyFromPem,
} from './signing-key.js';

describe('tree-head signing key', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });
  async function tempFile() {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sc-head-key-'));
    dirs.push(dir);
    return path.join(dir, 'nested', 'tree-head.key');
  }

  it('is created on first start with mode 0600 and reused afterwards', async () => {
    const file = await tempFile();
    const first = await loadTreeHeadSigningKey({ kind: 'file', path: file });
    expect(first.created).toBe(true);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const second = await loadTreeHeadSigningKey({ kind: 'file', path: file });
    expect(second.created).toBe(false);
    expect(second.keyId).toBe(first.keyId);
  });

  it('is not created when a verifier asks for it', async () => {
    const file = await tempFile();
    await expect(
      loadTreeHeadSigningKey({ kind: 'file', path: file }, { create: false }),
    ).rejects.toThrow(`The tree-head signing key file ${file} does not exist.`);
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('is refused when other users can read it', async () => {
    const file = await tempFile();
    await loadTreeHeadSigningKey({ kind: 'file', path: file });
    await chmod(file, 0o644);
    await expect(loadTreeHeadSigningKey({ kind: 'file', path: file })).rejects.toThrow(
      /readable by other users \(mode 644\).*chmod 600/,
    );
  });

  it('is refused when the file holds something else, without echoing it', async () => {
    const file = await tempFile();
    await loadTreeHeadSigningKey({ kind: 'file', path: file });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    const pem = rsa.export({ type: 'pkcs8', format: 'pem' }).toString();
    await writeFile(file, pem, { mode: 0o600 });
    const refusal = loadTreeHeadSigningKey({ kind: 'file', path: file });
    await expect(refusal).rejects.toThrow(TreeHeadKeyError);
    await expect(refusal).rejects.toThrow(/does not hold a PEM-encoded Ed25519 private key/);
  });

  it('is read from an environment value, with line breaks written as \\n', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const key = await loadTreeHeadSigningKey({ kind: 'env', pem: pem.replaceAll('\n', '\\n') });
    expect(key.created).toBe(false);
    expect(verifyingKeyFromPem(publicKeyPem(key)).keyId).toBe(key.keyId);
    const secret = 'MC4CAQAwBQYDK2VwBCIEI-not-a-key';
    const refusal = loadTreeHeadSigningKey({ kind: 'env', pem: secret });
    await expect(refusal).rejects.toThrow(/from the environment is not a PEM-encoded Ed25519/);
    await expect(refusal).rejects.not.toThrow(secret);
  });

  it('gives verifiers the public key only', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => verifyingKeyFromPem(privatePem)).toThrow(TreeHeadKeyError);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    const ecPem = ec.export({ type: 'spki', format: 'pem' }).toString();
    expect(() => verifyingKeyFromPem(ecPem)).toThrow(/not a PEM-encoded Ed25519 public key/);
    expect(() => keyIdOf(ec)).toThrow(TreeHeadKeyError);
  });
});

import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { open, seal } from './aes-gcm.js';
import { loadMasterKey, MasterKeyError } from './master-key.js';

describe('AES-256-GCM sealing', () => {
  const key = randomBytes(32);

  it('opens what it sealed, and never produces the same box twice', () => {
    const a = seal(key, Buffer.from('Maria Schneider'), 'patient.resource:1');
    const b = seal(key, Buffer.from('Maria Schneider'), 'patient.resource:1');
    expect(a.equals(b)).toBe(false);
    expect(open(key, a, 'patient.resource:1').toString()).toBe('Maria Schneider');
  });

  it('refuses a changed byte, another context or another key', () => {
    const box = seal(key, Buffer.from('secret'), 'ctx');
    const flipped = Buffer.from(box);
    flipped[14] = (flipped[14] ?? 0) ^ 1;
    expect(() => open(key, flipped, 'ctx')).toThrow();
    expect(() => open(key, box, 'other')).toThrow();
    expect(() => open(randomBytes(32), box, 'ctx')).toThrow();
    expect(() => open(key, box.subarray(0, 10), 'ctx')).toThrow(/too short/);
  });
});

describe('master key file', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });
  async function tempFile() {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sc-key-'));
    dirs.push(dir);
    return path.join(dir, 'nested', 'master.key');
  }

  it('is created on first start with mode 0600 and reused afterwards', async () => {
    const file = await tempFile();
    const first = await loadMasterKey({ kind: 'file', path: file });
    expect(first.created).toBe(true);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(Buffer.from((await readFile(file, 'utf8')).trim(), 'base64')).toHaveLength(32);
    const second = await loadMasterKey({ kind: 'file', path: file });
    expect(second.created).toBe(false);
    expect(second.key.equals(first.key)).toBe(true);
    expect(second.fingerprint).toBe(first.fingerprint);
  });

  it('is refused when other users can read it', async () => {
    const file = await tempFile();
    await loadMasterKey({ kind: 'file', path: file });
    await chmod(file, 0o644);
    await expect(loadMasterKey({ kind: 'file', path: file })).rejects.toThrow(
      /readable by other users \(mode 644\).*chmod 600/,
    );
  });

  it('is refused when it does not hold a 32-byte key', async () => {
    const file = await tempFile();
    await loadMasterKey({ kind: 'file', path: file });
    await writeFile(file, 'c2hvcnQ=\n', { mode: 0o600 });
    await expect(loadMasterKey({ kind: 'file', path: file })).rejects.toBeInstanceOf(
      MasterKeyError,
    );
  });

  it('can come from the environment instead', async () => {
    const key = randomBytes(32);
    const loaded = await loadMasterKey({ kind: 'env', keyBase64: key.toString('base64') });
    expect(loaded.key.equals(key)).toBe(true);
    expect(loaded.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(loaded.fingerprint).not.toContain(key.toString('hex').slice(0, 16));
  });
});

import { createHmac, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { MasterKeySource } from '../config/index.js';

export interface MasterKey {
  key: Buffer;
  /** Names the key without revealing it, so a mismatch can be reported. */
  fingerprint: string;
}

export class MasterKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MasterKeyError';
  }
}

export function masterKeyFrom(key: Buffer): MasterKey {
  if (key.length !== 32) throw new MasterKeyError('The master key must be 32 bytes.');
  const fingerprint = createHmac('sha256', key)
    .update('safeconsult master key fingerprint')
    .digest('hex')
    .slice(0, 16);
  return { key, fingerprint };
}

/**
 * Reads the master key from the environment or its file. The file is created on first start with
 * mode 0600; an existing file readable by others is refused, as ssh refuses a loose private key.
 */
export async function loadMasterKey(
  source: MasterKeySource,
): Promise<MasterKey & { created: boolean }> {
  if (source.kind === 'env') {
    return { ...masterKeyFrom(Buffer.from(source.keyBase64, 'base64')), created: false };
  }
  const file = source.path;
  const created = await createIfMissing(file);
  const info = await stat(file);
  if ((info.mode & 0o077) !== 0) {
    const mode = (info.mode & 0o777).toString(8);
    throw new MasterKeyError(
      `The master key file ${file} is readable by other users (mode ${mode}). Run: chmod 600 ${file}`,
    );
  }
  const key = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
  if (key.length !== 32) {
    throw new MasterKeyError(
      `The master key file ${file} does not hold a base64-encoded 32-byte key.`,
    );
  }
  return { ...masterKeyFrom(key), created };
}

async function createIfMissing(file: string): Promise<boolean> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  let handle;
  try {
    // 'wx' fails if the file exists, so two starting processes never overwrite each other's key.
    handle = await open(file, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(`${randomBytes(32).toString('base64')}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return true;
}

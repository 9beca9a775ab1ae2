import { createHmac } from 'node:crypto';
import { open, seal } from './aes-gcm.js';
import type { KeyRing } from './key-ring.js';

export class FieldDecryptionError extends Error {
  constructor(reason: string) {
    super(`A protected field could not be opened: ${reason}`);
    this.name = 'FieldDecryptionError';
  }
}

const FORMAT = 'v1';
const SEALED = /^v1\.(\d+)\.([\w-]+)$/;

/**
 * Encryption of patient-data columns (AES-256-GCM under the current 'phi-fields' data key) and
 * keyed blind indexes for columns that must be found by exact value.
 *
 * A sealed value reads `v1.<key version>.<base64url(iv ‖ ciphertext ‖ tag)>`. The `context` names
 * the column and row (e.g. `patient.resource:<id>`) and is bound as associated data, so a
 * ciphertext copied into another row or column does not open.
 */
export class FieldProtection {
  constructor(private readonly keys: KeyRing) {}

  encrypt(plaintext: string, context: string): string {
    return this.encryptBytes(Buffer.from(plaintext, 'utf8'), context);
  }

  decrypt(sealed: string, context: string): string {
    return this.decryptBytes(sealed, context).toString('utf8');
  }

  /** Like `encrypt`, for content that is not text (a shared file). */
  encryptBytes(plaintext: Buffer, context: string): string {
    const { version, key } = this.keys.active('phi-fields');
    const box = seal(key, plaintext, context);
    return `${FORMAT}.${version}.${box.toString('base64url')}`;
  }

  decryptBytes(sealed: string, context: string): Buffer {
    const [, versionText, payload] = SEALED.exec(sealed) ?? [];
    if (versionText === undefined || payload === undefined) {
      throw new FieldDecryptionError('unknown format');
    }
    const key = this.keys.version('phi-fields', Number(versionText));
    if (!key) throw new FieldDecryptionError(`no data key version ${versionText}`);
    try {
      return open(key, Buffer.from(payload, 'base64url'), context);
    } catch {
      throw new FieldDecryptionError('authentication failed (wrong key, row or column)');
    }
  }

  /** The version new values are sealed with. */
  activeVersion(): number {
    return this.keys.active('phi-fields').version;
  }

  /** The same content (text or bytes alike) sealed again under the active key, for key rotation. */
  reseal(sealed: string, context: string): string {
    return this.encryptBytes(this.decryptBytes(sealed, context), context);
  }

  encryptJson(value: unknown, context: string): string {
    return this.encrypt(JSON.stringify(value), context);
  }

  decryptJson<T>(sealed: string, context: string): T {
    return JSON.parse(this.decrypt(sealed, context)) as T;
  }

  /**
   * A deterministic keyed digest of `value` for exact-match lookup. `field` separates indexes, so
   * equal values in different fields do not share a digest. Callers normalise values first.
   */
  blindIndex(field: string, value: string): string {
    const { key } = this.keys.active('blind-index');
    return createHmac('sha256', key)
      .update(field)
      .update('\u0000')
      .update(value)
      .digest('base64url');
  }
}

import { randomBytes } from 'node:crypto';
import { asc } from 'drizzle-orm';
import type { Queryable } from '../db/index.js';
import { open, seal } from './aes-gcm.js';
import type { MasterKey } from './master-key.js';
import { MasterKeyError } from './master-key.js';
import { dataKey } from './schema.js';

/** What a data key protects. Each purpose has its own key series. */
export const KEY_PURPOSES = ['phi-fields', 'blind-index'] as const;
export type KeyPurpose = (typeof KEY_PURPOSES)[number];

interface VersionedKey {
  version: number;
  key: Buffer;
}

const wrapAad = (purpose: string, version: number) => `safeconsult:data-key:${purpose}:${version}`;

/** The unwrapped data keys, held in memory for the life of the process. */
export class KeyRing {
  private constructor(private readonly keys: Map<KeyPurpose, VersionedKey[]>) {}

  /** Loads every data key, creating version 1 of a purpose that has none yet. */
  static async open(db: Queryable, master: MasterKey): Promise<KeyRing> {
    const missing = new Set<KeyPurpose>(KEY_PURPOSES);
    for (const row of await db.select().from(dataKey)) missing.delete(row.purpose as KeyPurpose);
    for (const purpose of missing) {
      // Another node may create the same first key at the same moment; the loser reads the winner's.
      await db
        .insert(dataKey)
        .values(newWrappedKey(master, purpose, 1))
        .onConflictDoNothing();
    }
    const rows = await db
      .select()
      .from(dataKey)
      .orderBy(asc(dataKey.purpose), asc(dataKey.version));
    const keys = new Map<KeyPurpose, VersionedKey[]>();
    for (const row of rows) {
      if (row.masterFingerprint !== master.fingerprint) {
        throw new MasterKeyError(
          `The store's data keys were wrapped by master key ${row.masterFingerprint}, but the ` +
            `configured master key is ${master.fingerprint}. Restore the original master key ` +
            '(MASTER_KEY_FILE or MASTER_KEY); without it the protected data cannot be read.',
        );
      }
      const purpose = row.purpose as KeyPurpose;
      const key = open(
        master.key,
        Buffer.from(row.wrappedKey, 'base64'),
        wrapAad(purpose, row.version),
      );
      keys.set(purpose, [...(keys.get(purpose) ?? []), { version: row.version, key }]);
    }
    return new KeyRing(keys);
  }

  /** The newest key of a purpose: what new data is protected with. */
  active(purpose: KeyPurpose): VersionedKey {
    const series = this.keys.get(purpose);
    const newest = series?.at(-1);
    if (!newest) throw new Error(`No data key for ${purpose}`);
    return newest;
  }

  /** Any version of a purpose's key, for reading data protected before a rotation. */
  version(purpose: KeyPurpose, version: number): Buffer | undefined {
    return this.keys.get(purpose)?.find((k) => k.version === version)?.key;
  }

  /**
   * Adds the next version of a purpose's key; new data uses it, old data still opens. Blind-index
   * keys are not rotated in place: every index would have to be recomputed first.
   */
  async rotate(db: Queryable, master: MasterKey, purpose: 'phi-fields'): Promise<number> {
    const next = this.active(purpose).version + 1;
    const row = newWrappedKey(master, purpose, next);
    await db.insert(dataKey).values(row);
    const key = open(master.key, Buffer.from(row.wrappedKey, 'base64'), wrapAad(purpose, next));
    this.keys.get(purpose)?.push({ version: next, key });
    return next;
  }
}

function newWrappedKey(master: MasterKey, purpose: KeyPurpose, version: number) {
  const wrapped = seal(master.key, randomBytes(32), wrapAad(purpose, version));
  return {
    purpose,
    version,
    wrappedKey: wrapped.toString('base64'),
    masterFingerprint: master.fingerprint,
  };
}

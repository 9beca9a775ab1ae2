import { randomBytes } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
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
  /** From this instant new data is sealed with this version; before it, the key only opens. */
  activeFrom: Date;
}

/** A data key version as the status report shows it: never the key itself. */
export interface KeyVersionInfo {
  purpose: KeyPurpose;
  version: number;
  activeFrom: Date;
}

export const wrapAad = (purpose: string, version: number) =>
  `safeconsult:data-key:${purpose}:${version}`;

type DataKeyRow = typeof dataKey.$inferSelect;

/** The unwrapped data keys, held in memory for the life of the process. */
export class KeyRing {
  private constructor(
    private readonly keys: Map<KeyPurpose, VersionedKey[]>,
    private readonly now: () => Date,
  ) {}

  /** Loads every data key, creating version 1 of a purpose that has none yet. */
  static async open(
    db: Queryable,
    master: MasterKey,
    now: () => Date = () => new Date(),
  ): Promise<KeyRing> {
    const missing = new Set<KeyPurpose>(KEY_PURPOSES);
    for (const row of await db.select().from(dataKey)) missing.delete(row.purpose as KeyPurpose);
    for (const purpose of missing) {
      // Another node may create the same first key at the same moment; the loser reads the winner's.
      await db
        .insert(dataKey)
        .values(newWrappedKey(master, purpose, 1))
        .onConflictDoNothing();
    }
    const ring = new KeyRing(new Map(), now);
    await ring.refresh(db, master);
    return ring;
  }

  /**
   * Brings the ring level with the store: loads versions added by another process (a rotation),
   * takes up changed activation times, and forgets retired versions. Keys already held are kept
   * as they are, so a node keeps working after the master key was rotated under it.
   */
  async refresh(db: Queryable, master: MasterKey): Promise<void> {
    const rows = await db
      .select()
      .from(dataKey)
      .orderBy(asc(dataKey.purpose), asc(dataKey.version));
    const next = new Map<KeyPurpose, VersionedKey[]>();
    for (const row of rows) {
      const purpose = row.purpose as KeyPurpose;
      const known = this.version(purpose, row.version);
      const key = known ?? unwrap(row, master);
      next.set(purpose, [
        ...(next.get(purpose) ?? []),
        { version: row.version, key, activeFrom: row.activeFrom },
      ]);
    }
    this.keys.clear();
    for (const [purpose, series] of next) this.keys.set(purpose, series);
  }

  /**
   * The key new data is protected with: the newest version whose activation time has come. Before
   * any has (a clock behind the store's), the oldest, which every node holds.
   */
  active(purpose: KeyPurpose): { version: number; key: Buffer } {
    const series = this.keys.get(purpose) ?? [];
    const now = this.now().getTime();
    const newest = series.findLast((k) => k.activeFrom.getTime() <= now) ?? series[0];
    if (!newest) throw new Error(`No data key for ${purpose}`);
    return newest;
  }

  /** Any version of a purpose's key, for reading data protected before a rotation. */
  version(purpose: KeyPurpose, version: number): Buffer | undefined {
    return this.keys.get(purpose)?.find((k) => k.version === version)?.key;
  }

  versions(): KeyVersionInfo[] {
    return [...this.keys].flatMap(([purpose, series]) =>
      series.map(({ version, activeFrom }) => ({ purpose, version, activeFrom })),
    );
  }

  /**
   * Adds the next version of a purpose's key, active from `activeFrom`: until then it only opens,
   * so that every running node has loaded it before any node seals with it. Blind-index keys are
   * not rotated in place: every index would have to be recomputed first.
   */
  async rotate(
    db: Queryable,
    master: MasterKey,
    purpose: 'phi-fields',
    activeFrom: Date = this.now(),
  ): Promise<number> {
    await this.refresh(db, master);
    const newest = this.keys.get(purpose)?.at(-1)?.version ?? 0;
    const row = { ...newWrappedKey(master, purpose, newest + 1), activeFrom };
    await db.insert(dataKey).values(row);
    await this.refresh(db, master);
    return row.version;
  }

  /** Removes versions from the store and from this ring; the caller proves nothing uses them. */
  async retire(db: Queryable, purpose: 'phi-fields', versions: number[]): Promise<void> {
    if (versions.length === 0) return;
    if (versions.includes(this.active(purpose).version)) {
      throw new Error('The active data key version cannot be retired.');
    }
    await db
      .delete(dataKey)
      .where(and(eq(dataKey.purpose, purpose), inArray(dataKey.version, versions)));
    const series = this.keys.get(purpose) ?? [];
    this.keys.set(
      purpose,
      series.filter((k) => !versions.includes(k.version)),
    );
  }
}

function unwrap(row: DataKeyRow, master: MasterKey): Buffer {
  if (row.masterFingerprint !== master.fingerprint) {
    throw new MasterKeyError(
      `The store's data keys were wrapped by master key ${row.masterFingerprint}, but the ` +
        `configured master key is ${master.fingerprint}. Restore the original master key ` +
        '(MASTER_KEY_FILE or MASTER_KEY); without it the protected data cannot be read.',
    );
  }
  return open(master.key, Buffer.from(row.wrappedKey, 'base64'), wrapAad(row.purpose, row.version));
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

import { desc, eq } from 'drizzle-orm';
import type { PolicyFile } from '@safeconsult/protocol';
import { staffUserTable } from '../identity/index.js';
import type { Queryable } from '../platform/db/index.js';
import { AppError } from '../platform/http/index.js';
import { accessPolicyVersion } from './schema.js';

/** Writes the shipped policy set as version 1 on first start; a clinic's own set is kept. */
export async function ensureAccessPolicy(db: Queryable, files: PolicyFile[]): Promise<void> {
  await db
    .insert(accessPolicyVersion)
    .values({ version: 1, files, note: 'The default policy set shipped with SafeConsult.' })
    .onConflictDoNothing();
}

export async function activeVersionNumber(db: Queryable): Promise<number> {
  const [row] = await db
    .select({ version: accessPolicyVersion.version })
    .from(accessPolicyVersion)
    .orderBy(desc(accessPolicyVersion.version))
    .limit(1);
  if (!row) throw new Error('the access policy is missing: the store was not set up');
  return row.version;
}

export async function readVersion(db: Queryable, version: number) {
  const [row] = await db
    .select()
    .from(accessPolicyVersion)
    .where(eq(accessPolicyVersion.version, version));
  return row;
}

export async function listVersions(db: Queryable) {
  const rows = await db
    .select({
      version: accessPolicyVersion.version,
      note: accessPolicyVersion.note,
      createdAt: accessPolicyVersion.createdAt,
      createdBy: staffUserTable.displayName,
    })
    .from(accessPolicyVersion)
    .leftJoin(staffUserTable, eq(staffUserTable.id, accessPolicyVersion.createdBy))
    .orderBy(desc(accessPolicyVersion.version));
  return rows.map((r, i) => ({
    version: r.version,
    note: r.note,
    createdAt: r.createdAt.toISOString(),
    createdBy: r.createdBy,
    active: i === 0,
  }));
}

/**
 * Adds a version on top of `basedOn`; someone else's newer version makes this a conflict rather
 * than a silent overwrite. Call inside a transaction: the primary key settles a race.
 */
export async function addVersion(
  db: Queryable,
  entry: { files: PolicyFile[]; basedOn: number; note: string; createdBy: string },
): Promise<number> {
  const current = await activeVersionNumber(db);
  if (current !== entry.basedOn) {
    throw new AppError(
      'conflict',
      `The access policy changed to version ${current} while you edited version ${entry.basedOn}. Review the new version first.`,
    );
  }
  const version = current + 1;
  const [inserted] = await db
    .insert(accessPolicyVersion)
    .values({ version, files: entry.files, note: entry.note, createdBy: entry.createdBy })
    .onConflictDoNothing()
    .returning({ version: accessPolicyVersion.version });
  if (!inserted) {
    throw new AppError('conflict', 'Someone else changed the access policy at the same moment.');
  }
  return version;
}

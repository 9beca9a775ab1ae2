import { sql } from 'drizzle-orm';
import { queryRows, type Database, type Queryable } from '../db/index.js';
import type { EncryptedColumnRegistry } from './encrypted-columns.js';
import type { KeyRing } from './key-ring.js';
import { tableName } from './reencryption.js';

/** How many values of one column are sealed under one key version (`null`: not a sealed value). */
export interface CiphertextCount {
  table: string;
  column: string;
  version: number | null;
  count: number;
}

/** Counts the registered ciphertexts per column and key version, from the data itself. */
export async function countCiphertexts(
  db: Queryable,
  registry: EncryptedColumnRegistry,
): Promise<CiphertextCount[]> {
  const counts: CiphertextCount[] = [];
  for (const table of registry.all) {
    for (const column of table.columns) {
      const target = sql.identifier(column.name);
      const rows = await queryRows<{ version: string | null; count: number }>(
        db,
        sql`select substring(${target} from '^v1\\.(\\d+)\\.') as version, count(*)::int as count
            from ${tableName(table)} where ${target} is not null group by 1 order by 1`,
      );
      for (const row of rows) {
        counts.push({
          table: table.table,
          column: column.name,
          version: row.version === null ? null : Number(row.version),
          count: Number(row.count),
        });
      }
    }
  }
  return counts;
}

/** Whether a count is of values sealed under a version older than the active one. */
export const underOlderVersion = (count: CiphertextCount, active: number) =>
  count.version !== null && count.version < active;

/** How many registered values a rotation to `active` still has to re-seal. */
export async function countPending(
  db: Queryable,
  active: number,
  registry: EncryptedColumnRegistry,
): Promise<number> {
  return (await countCiphertexts(db, registry))
    .filter((c) => underOlderVersion(c, active))
    .reduce((sum, c) => sum + c.count, 0);
}

/**
 * Deletes the phi-fields key versions older than the active one that no registered value names,
 * in one transaction with the count that proves it. A version still in use is kept.
 */
export async function retireUnusedKeyVersions(
  db: Database,
  keys: KeyRing,
  registry: EncryptedColumnRegistry,
): Promise<number[]> {
  return db.transaction(async (tx) => {
    const active = keys.active('phi-fields').version;
    const used = new Set((await countCiphertexts(tx, registry)).map((c) => c.version));
    const unused = keys
      .versions()
      .filter((v) => v.purpose === 'phi-fields' && v.version < active && !used.has(v.version))
      .map((v) => v.version);
    await keys.retire(tx, 'phi-fields', unused);
    return unused;
  });
}

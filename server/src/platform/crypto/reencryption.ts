import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Database } from '../db/index.js';
import type {
  EncryptedColumn,
  EncryptedColumnRegistry,
  EncryptedTable,
} from './encrypted-columns.js';
import { FieldDecryptionError, type FieldProtection } from './field-protection.js';

export interface ReencryptionReport {
  /** Values now sealed under the active key. */
  resealed: number;
  /** Values changed by someone else between reading and re-sealing: left as that writer left them. */
  changedMeanwhile: number;
  /** Values that did not open (a damaged value, or one under a retired key): left untouched. */
  unreadable: number;
}

export interface ReencryptionOptions {
  /** Rows per transaction: small, so no lock is held for long beside the serving nodes. */
  batchSize?: number;
  /** Stops between batches; what is done stays done, and a later run resumes. */
  signal?: AbortSignal;
  onBatch?(progress: { table: string; column: string; resealed: number }): void;
}

const DEFAULT_BATCH_SIZE = 200;

/**
 * Re-seals every registered ciphertext that names an older key version under the active one. What
 * is left to do is read from the data itself (values not under the active version), so a run
 * stopped by a crash resumes where it was by running again. Each batch is its own transaction and
 * writes a value only if the row still holds the ciphertext that was read: a concurrent write
 * (which seals under the active key anyway) is never overwritten with stale data.
 */
export async function reencryptAll(
  db: Database,
  fields: FieldProtection,
  registry: EncryptedColumnRegistry,
  options: ReencryptionOptions = {},
): Promise<ReencryptionReport> {
  const report: ReencryptionReport = { resealed: 0, changedMeanwhile: 0, unreadable: 0 };
  for (const table of registry.all) {
    for (const column of table.columns) {
      await reencryptColumn(db, fields, table, column, options, report);
    }
  }
  return report;
}

interface Candidate {
  key: string[];
  sealed: string;
}

async function reencryptColumn(
  db: Database,
  fields: FieldProtection,
  table: EncryptedTable,
  column: EncryptedColumn,
  options: ReencryptionOptions,
  report: ReencryptionReport,
): Promise<void> {
  const target = sql.identifier(column.name);
  const keys = sql.join(
    table.key.map((k) => sql.identifier(k)),
    sql`, `,
  );
  const keyText = sql.join(
    table.key.map((k, i) => sql`${sql.identifier(k)}::text as ${sql.identifier(`k${i}`)}`),
    sql`, `,
  );
  let after: string[] | undefined;
  for (;;) {
    if (options.signal?.aborted) return;
    const active = String(fields.activeVersion());
    // Keyset paging past the last row seen, so an unreadable value is not read again and again.
    const pastLast = after ? sql`and (${keys}) > (${list(after)})` : sql``;
    const rows = await queryRows<Record<string, string>>(
      db,
      sql`select ${keyText}, ${target} as sealed from ${tableName(table)}
          where ${target} is not null and split_part(${target}, '.', 2) <> ${active} ${pastLast}
          order by ${keys} limit ${options.batchSize ?? DEFAULT_BATCH_SIZE}`,
    );
    if (rows.length === 0) return;
    const candidates: Candidate[] = rows.map((row) => ({
      key: table.key.map((_, i) => row[`k${i}`] ?? ''),
      sealed: row.sealed ?? '',
    }));
    after = candidates.at(-1)?.key;
    const resealed = await db.transaction(async (tx) => {
      let written = 0;
      for (const { key, sealed } of candidates) {
        const rowKey = Object.fromEntries(table.key.map((k, i) => [k, key[i] ?? '']));
        let next: string;
        try {
          next = fields.reseal(sealed, column.context(rowKey));
        } catch (error) {
          if (!(error instanceof FieldDecryptionError)) throw error;
          report.unreadable += 1;
          continue;
        }
        const matches = table.key.map((k, i) => sql`${sql.identifier(k)} = ${key[i]}`);
        const updated = await queryRows(
          tx,
          sql`update ${tableName(table)} set ${target} = ${next}
              where ${sql.join(matches, sql` and `)} and ${target} = ${sealed} returning 1`,
        );
        if (updated.length === 1) written += 1;
        else report.changedMeanwhile += 1;
      }
      return written;
    });
    report.resealed += resealed;
    options.onBatch?.({ table: table.table, column: column.name, resealed });
  }
}

export function tableName(table: EncryptedTable): SQL {
  return sql.join(
    table.table.split('.').map((part) => sql.identifier(part)),
    sql`.`,
  );
}

const list = (values: string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

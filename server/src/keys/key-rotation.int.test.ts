import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppContext } from '../context.js';
import { encryptedColumns } from '../encrypted-columns.js';
import {
  countCiphertexts,
  FieldProtection,
  KeyRing,
  masterKeyFrom,
  MasterKeyError,
  reencryptAll,
  retireUnusedKeyVersions,
  rewrapDataKeys,
  tableName,
  type EncryptedColumnRegistry,
} from '../platform/crypto/index.js';
import { queryRows, type Database } from '../platform/db/index.js';
import { findPatientByMrn, readPatient, type Patient } from '../records/index.js';
import { createTestContext, type TestContext } from '../test-support/context.js';
import { seedProtectedData } from '../test-support/protected-data.js';
import { createTestStore, storeTargets, type TestStoreEnv } from '../test-support/stores.js';
import { startKeyMaintenance } from './index.js';

/** Every registered value, opened: `table.column:key` → its bytes in base64. */
async function openEverything(
  db: Database,
  fields: FieldProtection,
  registry: EncryptedColumnRegistry,
): Promise<Map<string, string>> {
  const opened = new Map<string, string>();
  for (const table of registry.all) {
    const keys = sql.join(
      table.key.map((k) => sql`${sql.identifier(k)}::text as ${sql.identifier(k)}`),
      sql`, `,
    );
    for (const column of table.columns) {
      const rows = await queryRows<Record<string, string>>(
        db,
        sql`select ${keys}, ${sql.identifier(column.name)} as sealed from ${tableName(table)}
            where ${sql.identifier(column.name)} is not null`,
      );
      for (const row of rows) {
        const where = table.key.map((k) => row[k]).join('/');
        opened.set(
          `${table.table}.${column.name}:${where}`,
          fields.decryptBytes(row.sealed ?? '', column.context(row)).toString('base64'),
        );
      }
    }
  }
  return opened;
}

async function versionsInUse(db: Database, registry: EncryptedColumnRegistry) {
  const counts = await countCiphertexts(db, registry);
  return [...new Set(counts.map((c) => c.version))].sort();
}

describe.each(storeTargets())('rotating the data key on %s', (target) => {
  const env = { MASTER_KEY: randomBytes(32).toString('base64') };
  const registry = encryptedColumns();
  let store: TestStoreEnv;
  let tc: TestContext | undefined;
  let ctx: AppContext;

  beforeEach(async () => {
    store = await createTestStore(target);
    tc = await createTestContext(target, env, store);
    ctx = tc.ctx;
    await seedProtectedData(ctx);
  });
  afterEach(async () => {
    await tc?.close();
    await store.cleanup();
  });

  it('knows every column that holds a sealed value, and each registered column exists', async () => {
    // Every schema the modules own (a module may keep its tables in a schema of its own).
    const textColumns = await queryRows<{ table: string; column: string }>(
      ctx.store.db,
      sql`select case when table_schema = 'public' then table_name
                      else table_schema || '.' || table_name end as table,
                 column_name as column
          from information_schema.columns
          where table_schema not in ('pg_catalog', 'information_schema', 'drizzle')
            and data_type = 'text'`,
    );
    const registered = new Set(
      registry.all.flatMap((t) => t.columns.map((c) => `${t.table}.${c.name}`)),
    );
    const holdingSealed: string[] = [];
    for (const { table, column } of textColumns) {
      const name = sql.join(
        table.split('.').map((part) => sql.identifier(part)),
        sql`.`,
      );
      const [row] = await queryRows<{ n: number }>(
        ctx.store.db,
        sql`select count(*)::int as n from ${name}
            where ${sql.identifier(column)} ~ '^v1\\.[0-9]+\\.[A-Za-z0-9_-]+$'`,
      );
      if ((row?.n ?? 0) > 0) holdingSealed.push(`${table}.${column}`);
    }
    expect(holdingSealed.length).toBeGreaterThanOrEqual(5);
    expect(holdingSealed.filter((c) => !registered.has(c))).toEqual([]);
    const existing = new Set(textColumns.map((c) => `${c.table}.${c.column}`));
    expect([...registered].filter((c) => !existing.has(c))).toEqual([]);
  });

  it('re-seals every registered value under the new version; the old version can then go', async () => {
    const before = await openEverything(ctx.store.db, ctx.fields, registry);
    expect(before.size).toBeGreaterThan(30);
    const version = await ctx.keys.rotate(ctx.store.db, ctx.masterKey, 'phi-fields');
    expect(version).toBe(2);

    const report = await reencryptAll(ctx.store.db, ctx.fields, registry, { batchSize: 7 });
    expect(report).toEqual({ resealed: before.size, changedMeanwhile: 0, unreadable: 0 });
    expect(await versionsInUse(ctx.store.db, registry)).toEqual([2]);
    expect(await openEverything(ctx.store.db, ctx.fields, registry)).toEqual(before);
    // A second run finds nothing left to do.
    expect((await reencryptAll(ctx.store.db, ctx.fields, registry)).resealed).toBe(0);

    expect(await retireUnusedKeyVersions(ctx.store.db, ctx.keys, registry)).toEqual([1]);
    const reopened = new FieldProtection(await KeyRing.open(ctx.store.db, ctx.masterKey));
    expect(ctx.keys.version('phi-fields', 1)).toBeUndefined();
    expect(await openEverything(ctx.store.db, reopened, registry)).toEqual(before);
    const maria = await findPatientByMrn(ctx.store.db, reopened, 'RFP-100231');
    expect(maria?.name?.[0]?.family).toBe('Schneider');
  });

  it('never overwrites a value written while its batch was being re-sealed', async () => {
    await ctx.keys.rotate(ctx.store.db, ctx.masterKey, 'phi-fields');
    const [first] = await queryRows<{ id: string }>(
      ctx.store.db,
      sql`select id::text as id from patient order by id limit 1`,
    );
    const id = first?.id ?? '';
    const changed: Patient = {
      ...(await readPatient(ctx.store.db, ctx.fields, id))!,
      gender: 'other',
    };
    // The batch's rows are read, then another writer saves the patient, then the batch writes.
    let raced = false;
    const db = ctx.store.db;
    const racing = new Proxy(db, {
      get(target, property, receiver) {
        if (property !== 'transaction' || raced) {
          return Reflect.get(target, property, receiver) as unknown;
        }
        return async (...args: Parameters<Database['transaction']>) => {
          raced = true;
          await db.execute(
            sql`update patient set resource = ${ctx.fields.encryptJson(changed, `patient.resource:${id}`)}
                where id = ${id}`,
          );
          return db.transaction(...args);
        };
      },
    });

    const report = await reencryptAll(racing, ctx.fields, registry, { batchSize: 50 });
    expect(raced).toBe(true);
    expect(report.changedMeanwhile).toBe(1);
    expect(await readPatient(ctx.store.db, ctx.fields, id)).toEqual(changed);
    expect(await versionsInUse(ctx.store.db, registry)).toEqual([2]);
  });

  it('resumes where it stopped: values open meanwhile, and a server finishes at its start', async () => {
    const before = await openEverything(ctx.store.db, ctx.fields, registry);
    await ctx.keys.rotate(ctx.store.db, ctx.masterKey, 'phi-fields');
    const stop = new AbortController();
    const partial = await reencryptAll(ctx.store.db, ctx.fields, registry, {
      batchSize: 3,
      signal: stop.signal,
      onBatch: () => stop.abort(),
    });
    expect(partial.resealed).toBe(3);
    expect(await versionsInUse(ctx.store.db, registry)).toEqual([1, 2]);
    expect(await openEverything(ctx.store.db, ctx.fields, registry)).toEqual(before);
    // A version that still seals values is kept when asked to retire it.
    expect(await retireUnusedKeyVersions(ctx.store.db, ctx.keys, registry)).toEqual([]);

    // Each batch commits on its own, so a process that ends here leaves this same state.
    await tc?.close();
    tc = await createTestContext(target, env, store);
    const maintenance = startKeyMaintenance(tc.ctx, registry);
    await maintenance.reencryption;
    await maintenance.stop();
    expect(await versionsInUse(tc.ctx.store.db, registry)).toEqual([2]);
    expect(await openEverything(tc.ctx.store.db, tc.ctx.fields, registry)).toEqual(before);
    expect(tc.logs.text).toContain('re-sealing finished');
  });

  it('seals new values with a new version only from its activation time on', async () => {
    const activeFrom = new Date(Date.now() + 60_000);
    const version = await ctx.keys.rotate(ctx.store.db, ctx.masterKey, 'phi-fields', activeFrom);
    expect(ctx.fields.activeVersion()).toBe(version - 1);
    // Another node learns of the version at its next refresh, before it seals anything with it.
    await ctx.keys.refresh(ctx.store.db, ctx.masterKey);
    expect(ctx.keys.version('phi-fields', version)).toBeDefined();
    expect(ctx.fields.activeVersion()).toBe(version - 1);
    const later = await KeyRing.open(
      ctx.store.db,
      ctx.masterKey,
      () => new Date(Date.now() + 61_000),
    );
    expect(later.active('phi-fields').version).toBe(version);
  });

  it('re-wraps the data keys under a new master key in one step, leaving the data as it is', async () => {
    const before = await openEverything(ctx.store.db, ctx.fields, registry);
    const replacement = masterKeyFrom(randomBytes(32));
    expect(await rewrapDataKeys(ctx.store.db, ctx.masterKey, replacement)).toBe(2);
    await expect(KeyRing.open(ctx.store.db, ctx.masterKey)).rejects.toBeInstanceOf(MasterKeyError);
    const reopened = new FieldProtection(await KeyRing.open(ctx.store.db, replacement));
    expect(await openEverything(ctx.store.db, reopened, registry)).toEqual(before);
    // Again: nothing left to move. From a key that wrapped none of them: refused.
    expect(await rewrapDataKeys(ctx.store.db, ctx.masterKey, replacement)).toBe(0);
    const stranger = masterKeyFrom(randomBytes(32));
    await expect(
      rewrapDataKeys(ctx.store.db, stranger, masterKeyFrom(randomBytes(32))),
    ).rejects.toThrow(/neither the configured one/);
    // The running node keeps the keys it holds, and reloads them without the old master key.
    await ctx.keys.refresh(ctx.store.db, ctx.masterKey);
    expect(ctx.fields.decrypt(ctx.fields.encrypt('still', 'c'), 'c')).toBe('still');
  });
});

import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../log/index.js';
import { loadConfig } from '../config/index.js';
import { createTestStore, storeTargets, type TestStoreEnv } from '../../test-support/stores.js';
import { applyMigrations, migrationState, openStore, queryRows, type Store } from './index.js';
import { DataDirInUseError } from './data-dir-lock.js';

const silent = createLogger('silent');

describe.each(storeTargets())('store on %s', (target) => {
  let env: TestStoreEnv | undefined;
  const opened: Store[] = [];

  async function open(): Promise<Store> {
    env ??= await createTestStore(target);
    const store = await openStore(loadConfig(env.env).store, silent);
    opened.push(store);
    return store;
  }

  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    await env?.cleanup();
    env = undefined;
  });

  it('applies the migrations once; a re-run changes nothing', async () => {
    const store = await open();
    expect(await migrationState(store)).toBe('pending');
    expect(await applyMigrations(store)).toBeGreaterThan(0);
    expect(await migrationState(store)).toBe('applied');
    expect(await applyMigrations(store)).toBe(0);
    const tables = await queryRows<{ table_name: string }>(
      store.db,
      sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining(['organisation', 'staff_user', 'patient', 'data_key']),
    );
  });

  it('keeps committed data across a close and reopen', async () => {
    const first = await open();
    await applyMigrations(first);
    await first.db.execute(
      sql`insert into organisation (name, default_locale, time_zone) values ('Kept', 'en', 'UTC')`,
    );
    await first.close();
    opened.splice(opened.indexOf(first), 1);
    const second = await open();
    const rows = await queryRows<{ name: string }>(second.db, sql`select name from organisation`);
    expect(rows).toEqual([{ name: 'Kept' }]);
  });

  if (target === 'postgres') {
    it('lets several nodes migrate the same database at once', async () => {
      await open();
      const nodes = await Promise.all([open(), open(), open()]);
      const applied = await Promise.all(nodes.map((n) => applyMigrations(n)));
      expect(applied.filter((n) => n > 0)).toHaveLength(1);
      for (const node of nodes) expect(await migrationState(node)).toBe('applied');
    });
  } else {
    it('refuses a second process on the same data folder', async () => {
      await open();
      // Make the lock name a live process other than this one: the test runner's parent.
      const folder = loadConfig(env?.env ?? {}).store;
      if (folder.kind !== 'pglite') throw new Error('expected pglite');
      await writeFile(path.join(folder.dataDir, 'safeconsult.lock'), String(process.ppid));
      await expect(openStore(folder, silent)).rejects.toBeInstanceOf(DataDirInUseError);
    });
  }
});

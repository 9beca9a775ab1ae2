import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { queryRows } from './platform/db/index.js';
import { createTestContext } from './test-support/context.js';
import { seedProtectedData } from './test-support/protected-data.js';
import {
  createTestStore,
  storeTargets,
  type StoreTarget,
  type TestStoreEnv,
} from './test-support/stores.js';

/**
 * Everything someone holding a copy of the store would hold: on PostgreSQL the output of
 * `pg_dump` of the test's database, on the embedded store the bytes of its whole data folder
 * (PGlite's own tarball: every table of every schema, the write-ahead log included).
 */
async function dumpStore(target: StoreTarget, store: TestStoreEnv): Promise<string> {
  if (target === 'postgres') {
    const url = store.env.DATABASE_URL ?? '';
    const { stdout } = await promisify(execFile)('pg_dump', ['--no-owner', url], {
      maxBuffer: 256 * 1024 * 1024,
    });
    return stdout;
  }
  const pglite = await PGlite.create(path.join(store.dataDir, 'pglite'));
  try {
    const tarball = await pglite.dumpDataDir('none');
    // latin1 maps each byte to one character, so clear UTF-8 text is found byte for byte.
    return Buffer.from(await tarball.arrayBuffer()).toString('latin1');
  } finally {
    await pglite.close();
  }
}

/**
 * The dump without its long base64 tokens (ciphertexts, blind indexes, hashes, wrapped keys), in
 * which a short name such as "Lena" turns up by chance now and then. A value stored in clear is
 * never such a token: its neighbours are quotes, tabs or a page's length bytes.
 */
const withoutTokens = (dump: string) => dump.replace(/[A-Za-z0-9+/=_-]{32,}/g, ' ');

describe.each(storeTargets())('patient data at rest on %s', (target) => {
  let store: TestStoreEnv | undefined;
  afterEach(() => store?.cleanup());

  it('appears nowhere in clear in a dump of the store, which does show a value planted in clear', async () => {
    store = await createTestStore(target);
    const tc = await createTestContext(target, {}, store);
    const needles = await seedProtectedData(tc.ctx);
    expect(needles.length).toBeGreaterThanOrEqual(30);
    // The bulk export's files hold every record too (the names and the note among them).
    const [files] = await queryRows<{ n: number }>(
      tc.ctx.store.db,
      sql`select count(*)::int as n from bulk_export_file`,
    );
    expect(files?.n).toBeGreaterThan(0);
    // A value stored in clear, through the same store, must be found by the same search.
    const planted = `Planted ${randomBytes(6).toString('hex')}`;
    await tc.ctx.store.db.execute(sql`create table scratch_clear_text (value text)`);
    await tc.ctx.store.db.execute(sql`insert into scratch_clear_text values (${planted})`);
    // The embedded store opens in one process at a time: the dump reads it after the server's end.
    await tc.close();

    const dump = withoutTokens(await dumpStore(target, store));
    expect(dump).toContain(planted);
    expect(dump).toContain('Riverside Family Practice'); // the clinic's name is not patient data
    const inClear = needles.filter((value) => dump.includes(value));
    expect(inClear).toEqual([]);
  });
});

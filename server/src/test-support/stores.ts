import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export type StoreTarget = 'pglite' | 'postgres';

/**
 * The stores integration tests run on: always the embedded one, and a PostgreSQL server too when
 * DATABASE_URL names one (CI sets it). Each test gets its own fresh database, dropped afterwards.
 */
export function storeTargets(): StoreTarget[] {
  return process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

export interface TestStoreEnv {
  /** Environment variables that point the server at this store. */
  env: Record<string, string>;
  dataDir: string;
  cleanup(): Promise<void>;
}

/** A fresh data folder and, for PostgreSQL, a fresh database on the server named by DATABASE_URL. */
export async function createTestStore(target: StoreTarget): Promise<TestStoreEnv> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'safeconsult-test-'));
  const removeDir = () => rm(dataDir, { recursive: true, force: true });
  if (target === 'pglite') {
    return { env: { DATA_DIR: dataDir }, dataDir, cleanup: removeDir };
  }
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('DATABASE_URL is not set');
  const name = `safeconsult_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    env: { DATA_DIR: dataDir, DATABASE_URL: url.toString() },
    dataDir,
    cleanup: async () => {
      await adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
      await removeDir();
    },
  };
}

async function adminQuery(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import pg from 'pg';
import type { StoreConfig } from '../config/index.js';
import type { Logger } from '../log/index.js';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.js';

/** The query interface every module uses; identical on PGlite and on a PostgreSQL server. */
export type Database = PgDatabase<PgQueryResultHKT>;
export type Transaction = PgTransaction<PgQueryResultHKT>;
/** Either a database handle or an open transaction: repository functions accept both. */
export type Queryable = Database | Transaction;

/** Runs raw SQL and returns its rows; both drivers answer with `{ rows }`. */
export async function queryRows<T>(db: Queryable, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  return (result as { rows: T[] }).rows;
}

export interface Store {
  kind: StoreConfig['kind'];
  db: Database;
  /** Runs `fn` while holding a store-wide exclusive lock (one holder across all nodes). */
  withExclusiveLock<T>(name: string, fn: () => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export async function openStore(config: StoreConfig, log: Logger): Promise<Store> {
  return config.kind === 'pglite' ? openPglite(config.dataDir, log) : openPostgres(config.url, log);
}

async function openPglite(dataDir: string, log: Logger): Promise<Store> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  // PGlite is single-process: a second server on the same folder would corrupt it.
  const lock: DataDirLock = await acquireDataDirLock(dataDir);
  let client: PGlite;
  try {
    client = await PGlite.create(dataDir);
  } catch (error) {
    await lock.release();
    throw error;
  }
  log.info({ store: 'pglite' }, 'embedded store opened');
  const db = drizzlePglite({ client }) as unknown as Database;
  return {
    kind: 'pglite',
    db,
    // One process owns the folder, and PGlite runs one statement at a time: no lock is needed.
    withExclusiveLock: (_name, fn) => fn(),
    ping: async () => {
      await client.query('select 1');
    },
    close: async () => {
      await client.close();
      await lock.release();
    },
  };
}

async function openPostgres(url: string, log: Logger): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection dropped by the server must not crash the process; the pool reconnects.
  pool.on('error', (error) => log.warn({ err: error }, 'idle PostgreSQL connection failed'));
  const db = drizzlePg({ client: pool }) as unknown as Database;
  log.info({ store: 'postgres' }, 'PostgreSQL store opened');
  return {
    kind: 'postgres',
    db,
    withExclusiveLock: async (name, fn) => {
      const conn = await pool.connect();
      try {
        await conn.query('select pg_advisory_lock(hashtext($1))', [name]);
        try {
          return await fn();
        } finally {
          await conn.query('select pg_advisory_unlock(hashtext($1))', [name]);
        }
      } finally {
        conn.release();
      }
    },
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: () => pool.end(),
  };
}

import { integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Data keys, one series per purpose, each wrapped (AES-256-GCM) by the master key. The master key
 * itself never enters the store; rotating it means re-wrapping these rows, not the data.
 * `active_from` lets every node load a new version before any node writes with it.
 */
export const dataKey = pgTable(
  'data_key',
  {
    purpose: text().notNull(),
    version: integer().notNull(),
    wrappedKey: text('wrapped_key').notNull(),
    masterFingerprint: text('master_fingerprint').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    activeFrom: timestamp('active_from', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.purpose, t.version] })],
);

import { index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { PublicJwks } from '@safeconsult/protocol';
import { staffUserTable } from '../identity/index.js';

const at = (name: string) => timestamp(name, { withTimezone: true });

/**
 * Other systems registered by the clinic's administrator to call the FHIR API on their own behalf
 * (SMART Backend Services). Only public keys are kept: the client signs with its private key.
 */
export const systemClient = pgTable('system_client', {
  clientId: uuid('client_id').primaryKey().defaultRandom(),
  name: text().notNull(),
  jwks: jsonb().$type<PublicJwks>().notNull(),
  /** The most the client may be granted; a token request narrows it further. */
  scopes: jsonb().$type<string[]>().notNull(),
  disabledAt: at('disabled_at'),
  createdBy: uuid('created_by')
    .notNull()
    .references(() => staffUserTable.id),
  createdAt: at('created_at').notNull().defaultNow(),
});

/**
 * The `jti` of every accepted client assertion until the assertion expires, so that a captured
 * assertion cannot be exchanged twice, on any node and across restarts.
 */
export const clientAssertionJti = pgTable(
  'client_assertion_jti',
  {
    clientId: uuid('client_id')
      .notNull()
      .references(() => systemClient.clientId),
    jti: text().notNull(),
    expiresAt: at('expires_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.jti] }), index().on(t.expiresAt)],
);

/** Access tokens issued to system clients; only the token's SHA-256 is kept. */
export const clientAccessToken = pgTable(
  'client_access_token',
  {
    tokenHash: text('token_hash').primaryKey(),
    clientId: uuid('client_id')
      .notNull()
      .references(() => systemClient.clientId),
    scopes: jsonb().$type<string[]>().notNull(),
    issuedAt: at('issued_at').notNull(),
    expiresAt: at('expires_at').notNull(),
  },
  (t) => [index().on(t.expiresAt)],
);

import type { PublicJwks } from '@safeconsult/protocol';
import { integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { appointmentTable } from '../consults/index.js';
import { staffUserTable } from '../identity/index.js';
import { patientTable } from '../records/index.js';

const at = (name: string) => timestamp(name, { withTimezone: true });

/**
 * The clinic's one external EHR. The private key and the bearer token are sealed with the field
 * key (see `encrypted-columns.ts`) and never leave the server; the public key set is shown to the
 * administrator to register with the EHR.
 */
export const ehrConnection = pgTable('ehr_connection', {
  /** Always `default`: a clinic connects one EHR. */
  id: text().primaryKey(),
  baseUrl: text('base_url'),
  patientIdentifierSystem: text('patient_identifier_system'),
  authKind: text('auth_kind'),
  clientId: text('client_id'),
  scopes: jsonb().$type<string[]>().notNull().default([]),
  privateKey: text('private_key'),
  publicJwks: jsonb('public_jwks').$type<PublicJwks>(),
  bearerToken: text('bearer_token'),
  updatedBy: uuid('updated_by').references(() => staffUserTable.id),
  updatedAt: at('updated_at').notNull(),
});

/**
 * Which local resource each imported EHR resource became, so an import repeated brings changes
 * and never duplicates. `remote` is the EHR's address of the resource (`{base}/{type}/{id}`).
 */
export const ehrImportedResource = pgTable('ehr_imported_resource', {
  remote: text().primaryKey(),
  patientId: uuid('patient_id')
    .notNull()
    .references(() => patientTable.id),
  localType: text('local_type').notNull(),
  localId: uuid('local_id').notNull(),
  /** The EHR's meta.versionId/lastUpdated when imported: an unchanged resource is not rewritten. */
  remoteVersion: text('remote_version'),
  importedAt: at('imported_at').notNull(),
});

/**
 * A consult to write back to the EHR (its Encounter, then its note), durable until delivered:
 * an EHR outage delays it, never loses it.
 */
export const ehrWritebackJob = pgTable('ehr_writeback_job', {
  appointmentId: uuid('appointment_id')
    .primaryKey()
    .references(() => appointmentTable.id),
  patientId: uuid('patient_id')
    .notNull()
    .references(() => patientTable.id),
  state: text().notNull(),
  attempts: integer().notNull().default(0),
  nextAttemptAt: at('next_attempt_at'),
  /** Held by a worker until then; another may take the job after. */
  claimedUntil: at('claimed_until'),
  /** Our summary of the last failure (HTTP status or network error code), never the EHR's text. */
  lastError: text('last_error'),
  remoteEncounter: text('remote_encounter'),
  remoteDocument: text('remote_document'),
  requestedBy: uuid('requested_by')
    .notNull()
    .references(() => staffUserTable.id),
  createdAt: at('created_at').notNull(),
  deliveredAt: at('delivered_at'),
});

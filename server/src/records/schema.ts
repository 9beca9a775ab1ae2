import {
  boolean,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

/**
 * Patients: the current version of each Patient resource. The FHIR resource is stored encrypted;
 * the blind-index columns (keyed HMACs of normalised values) allow exact-match lookup without
 * storing the values in clear. Other modules' tables refer to `patient.id`.
 */
export const patient = pgTable(
  'patient',
  {
    id: uuid().primaryKey(),
    resource: text().notNull(),
    mrnIndex: text('mrn_index').unique(),
    familyIndex: text('family_index'),
    birthDateIndex: text('birth_date_index'),
    versionId: integer('version_id').notNull().default(1),
    /** False for rows written before the FHIR API: their history and search index are built at start. */
    searchIndexed: boolean('search_indexed').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('patient_family_idx').on(t.familyIndex),
    index('patient_birth_date_idx').on(t.birthDateIndex),
  ],
);

/**
 * The current version of every other FHIR resource about a patient (encounters, observations,
 * conditions, allergies, medications, documents), encrypted. References and the clinical date
 * range are columns so that search can filter and sort without decrypting.
 */
export const clinicalResource = pgTable(
  'clinical_resource',
  {
    id: uuid().primaryKey(),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patient.id),
    resourceType: text('resource_type').notNull(),
    resource: text().notNull(),
    versionId: integer('version_id').notNull().default(1),
    /** The encounter the resource belongs to, when it names one of ours. */
    encounterId: uuid('encounter_id'),
    /** The resource's clinical date as a half-open range [start, end), in clear for range search. */
    dateStart: timestamp('date_start', { withTimezone: true }),
    dateEnd: timestamp('date_end', { withTimezone: true }),
    searchIndexed: boolean('search_indexed').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('clinical_resource_patient_idx').on(t.patientId, t.resourceType),
    index('clinical_resource_type_date_idx').on(t.resourceType, t.dateStart),
    index('clinical_resource_encounter_idx').on(t.encounterId),
  ],
);

/** Every version of every resource, the current one included, encrypted: history and vread. */
export const fhirResourceVersion = pgTable(
  'fhir_resource_version',
  {
    id: uuid().notNull(),
    versionId: integer('version_id').notNull(),
    resourceType: text('resource_type').notNull(),
    resource: text().notNull(),
    lastUpdated: timestamp('last_updated', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.id, t.versionId] })],
);

/**
 * Token search values of the current versions: keyed blind indexes of `system|code`, `code`,
 * identifiers and name parts, so codes (which reveal diagnoses) are never stored in clear.
 */
export const fhirSearchToken = pgTable(
  'fhir_search_token',
  {
    resourceId: uuid('resource_id').notNull(),
    /** `<ResourceType>.<search parameter>`, e.g. `Observation.code`. */
    param: text().notNull(),
    value: text().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.resourceId, t.param, t.value] }),
    index('fhir_search_token_value_idx').on(t.param, t.value),
  ],
);

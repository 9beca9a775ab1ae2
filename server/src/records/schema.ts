import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Patients. The FHIR resource is stored encrypted; the blind-index columns (keyed HMACs of
 * normalised values) allow exact-match lookup without storing the values in clear.
 */
export const patient = pgTable(
  'patient',
  {
    id: uuid().primaryKey(),
    resource: text().notNull(),
    mrnIndex: text('mrn_index').unique(),
    familyIndex: text('family_index'),
    birthDateIndex: text('birth_date_index'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('patient_family_idx').on(t.familyIndex),
    index('patient_birth_date_idx').on(t.birthDateIndex),
  ],
);

/** Clinical resources about a patient (conditions, allergies, medications, observations), encrypted. */
export const clinicalResource = pgTable(
  'clinical_resource',
  {
    id: uuid().primaryKey(),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patient.id),
    resourceType: text('resource_type').notNull(),
    resource: text().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('clinical_resource_patient_idx').on(t.patientId, t.resourceType)],
);

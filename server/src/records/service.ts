import { and, asc, eq, inArray } from 'drizzle-orm';
import type { DocumentReference, Encounter, Resource } from 'fhir/r4.js';
import type { FieldProtection } from '../platform/crypto/index.js';
import type { Queryable } from '../platform/db/index.js';
import type { ClinicalResource, Patient } from './fhir-types.js';
import { readCurrent, writeResource } from './fhir/store.js';
import { birthDateIndex, mrnIndex } from './fhir/patient-indexes.js';
import { clinicalResource, patient } from './schema.js';
import { clinicalResourceContext, patientContext } from './record-contexts.js';

export { MRN_SYSTEM } from './fhir/patient-indexes.js';

/** Strips the version metadata the store adds, for callers of the record model's own types. */
const plain = <T>(resource: Resource): T => {
  const { meta, ...rest } = resource;
  const { versionId: _v, lastUpdated: _l, ...kept } = meta ?? {};
  return (Object.keys(kept).length > 0 ? { ...rest, meta: kept } : rest) as T;
};

/** Registers a patient (first version); `p.id`, when a UUID, is kept (the demo's fixed ids). */
export async function createPatient(
  db: Queryable,
  fields: FieldProtection,
  p: Patient,
  now = new Date(),
): Promise<string> {
  const written = await writeResource(db, fields, p, now);
  if (written === 'conflict') throw new Error('a new patient cannot conflict');
  return written.id;
}

/** How staff see a patient named: given names, then family name. */
export function patientDisplayName(p: Patient): string {
  const name = p.name?.[0];
  return [...(name?.given ?? []), name?.family].filter(Boolean).join(' ');
}

export async function readPatient(
  db: Queryable,
  fields: FieldProtection,
  id: string,
): Promise<Patient | undefined> {
  const found = await readCurrent(db, fields, 'Patient', id);
  return found ? plain<Patient>(found.resource) : undefined;
}

/** One of the patient's clinical resources by type and id, or undefined when it is not theirs. */
export async function readClinicalResource<T extends Encounter | DocumentReference>(
  db: Queryable,
  fields: FieldProtection,
  patientId: string,
  type: T['resourceType'],
  id: string,
): Promise<T | undefined> {
  const found = await readCurrent(db, fields, type, id);
  return found?.patientId === patientId ? plain<T>(found.resource) : undefined;
}

/**
 * Whether a date of birth is the patient's, compared through its blind index: the record itself is
 * not decrypted to answer a stranger's guess.
 */
export async function patientBirthDateMatches(
  db: Queryable,
  fields: FieldProtection,
  id: string,
  birthDate: string,
): Promise<boolean> {
  const [row] = await db
    .select({ index: patient.birthDateIndex })
    .from(patient)
    .where(eq(patient.id, id));
  return Boolean(row?.index) && row?.index === birthDateIndex(fields, birthDate);
}

export async function findPatientByMrn(
  db: Queryable,
  fields: FieldProtection,
  mrn: string,
): Promise<Patient | undefined> {
  const [row] = await db
    .select()
    .from(patient)
    .where(eq(patient.mrnIndex, mrnIndex(fields, mrn)));
  return row ? fields.decryptJson<Patient>(row.resource, patientContext(row.id)) : undefined;
}

/**
 * Adds a clinical resource about a patient (its first version, indexed for search), e.g. the
 * Encounter a consult records. The resource's own patient reference must name `patientId`.
 */
export async function addClinicalResource(
  db: Queryable,
  fields: FieldProtection,
  patientId: string,
  resource: ClinicalResource | Encounter | DocumentReference,
  now = new Date(),
): Promise<string> {
  const written = await writeResource(db, fields, resource, now);
  if (written === 'conflict' || written.patientId !== patientId) {
    throw new Error('the resource does not reference the patient it is added for');
  }
  return written.id;
}

/**
 * Writes a new version of a stored clinical resource of the patient (a FHIR status change such as
 * `superseded`), kept in its history and search index like any update; whether one was changed.
 */
export async function updateClinicalResource(
  db: Queryable,
  fields: FieldProtection,
  patientId: string,
  resource: ClinicalResource & { id: string },
  now = new Date(),
): Promise<boolean> {
  const previous = await readCurrent(db, fields, resource.resourceType, resource.id);
  if (
    previous?.patientId !== patientId ||
    previous.resource.resourceType !== resource.resourceType
  ) {
    return false;
  }
  const written = await writeResource(db, fields, resource, now, previous);
  return written !== 'conflict';
}

export async function listClinicalResources(
  db: Queryable,
  fields: FieldProtection,
  patientId: string,
  resourceTypes?: ClinicalResource['resourceType'] | readonly ClinicalResource['resourceType'][],
): Promise<ClinicalResource[]> {
  const types = typeof resourceTypes === 'string' ? [resourceTypes] : resourceTypes;
  const rows = await db
    .select()
    .from(clinicalResource)
    .where(
      types
        ? and(
            eq(clinicalResource.patientId, patientId),
            inArray(clinicalResource.resourceType, [...types]),
          )
        : eq(clinicalResource.patientId, patientId),
    )
    .orderBy(asc(clinicalResource.createdAt), asc(clinicalResource.id));
  return rows.map((r) =>
    plain<ClinicalResource>(
      fields.decryptJson<Resource>(r.resource, clinicalResourceContext(r.id)),
    ),
  );
}

export async function patientExists(db: Queryable, id: string): Promise<boolean> {
  const [row] = await db.select({ id: patient.id }).from(patient).where(eq(patient.id, id));
  return row !== undefined;
}

/** Every patient, decrypted; the caller filters by what the access policy lets its user see. */
export async function listPatients(db: Queryable, fields: FieldProtection): Promise<Patient[]> {
  const rows = await db.select().from(patient).orderBy(asc(patient.createdAt), asc(patient.id));
  return rows.map((r) =>
    plain<Patient>(fields.decryptJson<Resource>(r.resource, patientContext(r.id))),
  );
}

import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { FieldProtection } from '../platform/crypto/index.js';
import type { Queryable } from '../platform/db/index.js';
import type { ClinicalResource, Patient } from './fhir-types.js';
import { clinicalResource, patient } from './schema.js';

/** The identifier system of the clinic's own medical record numbers. */
export const MRN_SYSTEM = 'urn:safeconsult:mrn';

const patientContext = (id: string) => `patient.resource:${id}`;
const resourceContext = (id: string) => `clinical_resource.resource:${id}`;
const normalise = (value: string) => value.normalize('NFKC').trim().toLowerCase();

function mrnOf(p: Patient): string | undefined {
  return p.identifier?.find((i) => i.system === MRN_SYSTEM)?.value;
}

export async function createPatient(
  db: Queryable,
  fields: FieldProtection,
  p: Patient,
): Promise<string> {
  const id = p.id ?? randomUUID();
  const stored: Patient = { ...p, id };
  const mrn = mrnOf(p);
  const family = p.name?.[0]?.family;
  await db.insert(patient).values({
    id,
    resource: fields.encryptJson(stored, patientContext(id)),
    mrnIndex: mrn ? fields.blindIndex('patient.mrn', normalise(mrn)) : null,
    familyIndex: family ? fields.blindIndex('patient.family', normalise(family)) : null,
    birthDateIndex: p.birthDate ? fields.blindIndex('patient.birthDate', p.birthDate) : null,
  });
  return id;
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
  const [row] = await db.select().from(patient).where(eq(patient.id, id));
  return row ? fields.decryptJson<Patient>(row.resource, patientContext(row.id)) : undefined;
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
  return Boolean(row?.index) && row?.index === fields.blindIndex('patient.birthDate', birthDate);
}

export async function findPatientByMrn(
  db: Queryable,
  fields: FieldProtection,
  mrn: string,
): Promise<Patient | undefined> {
  const [row] = await db
    .select()
    .from(patient)
    .where(eq(patient.mrnIndex, fields.blindIndex('patient.mrn', normalise(mrn))));
  return row ? fields.decryptJson<Patient>(row.resource, patientContext(row.id)) : undefined;
}

export async function addClinicalResource(
  db: Queryable,
  fields: FieldProtection,
  patientId: string,
  resource: ClinicalResource,
): Promise<string> {
  const id = randomUUID();
  const stored = { ...resource, id };
  await db.insert(clinicalResource).values({
    id,
    patientId,
    resourceType: resource.resourceType,
    resource: fields.encryptJson(stored, resourceContext(id)),
  });
  return id;
}

/**
 * Rewrites a stored clinical resource of the patient in place (a FHIR status change such as
 * `superseded`), encrypted as before; whether one was changed.
 */
export async function updateClinicalResource(
  db: Queryable,
  fields: FieldProtection,
  patientId: string,
  resource: ClinicalResource & { id: string },
): Promise<boolean> {
  const changed = await db
    .update(clinicalResource)
    .set({ resource: fields.encryptJson(resource, resourceContext(resource.id)) })
    .where(
      and(
        eq(clinicalResource.id, resource.id),
        eq(clinicalResource.patientId, patientId),
        eq(clinicalResource.resourceType, resource.resourceType),
      ),
    )
    .returning({ id: clinicalResource.id });
  return changed.length > 0;
}

export async function listClinicalResources(
  db: Queryable,
  fields: FieldProtection,
  patientId: string,
  resourceType?: ClinicalResource['resourceType'],
): Promise<ClinicalResource[]> {
  const rows = await db
    .select()
    .from(clinicalResource)
    .where(
      resourceType
        ? and(
            eq(clinicalResource.patientId, patientId),
            eq(clinicalResource.resourceType, resourceType),
          )
        : eq(clinicalResource.patientId, patientId),
    )
    .orderBy(asc(clinicalResource.createdAt), asc(clinicalResource.id));
  return rows.map((r) => fields.decryptJson<ClinicalResource>(r.resource, resourceContext(r.id)));
}

export async function patientExists(db: Queryable, id: string): Promise<boolean> {
  const [row] = await db.select({ id: patient.id }).from(patient).where(eq(patient.id, id));
  return row !== undefined;
}

/** Every patient, decrypted; the caller filters by what the access policy lets its user see. */
export async function listPatients(db: Queryable, fields: FieldProtection): Promise<Patient[]> {
  const rows = await db.select().from(patient).orderBy(asc(patient.createdAt), asc(patient.id));
  return rows.map((r) => fields.decryptJson<Patient>(r.resource, patientContext(r.id)));
}

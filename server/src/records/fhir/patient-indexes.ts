import type { Patient } from 'fhir/r4.js';
import type { FieldProtection } from '../../platform/crypto/index.js';

/** The identifier system of the clinic's own medical record numbers. */
export const MRN_SYSTEM = 'urn:safeconsult:mrn';

/** How names and record numbers compare for exact-match search: Unicode-compatible, case-blind. */
export const normalise = (value: string) => value.normalize('NFKC').trim().toLowerCase();

export const mrnIndex = (fields: FieldProtection, mrn: string) =>
  fields.blindIndex('patient.mrn', normalise(mrn));
export const birthDateIndex = (fields: FieldProtection, birthDate: string) =>
  fields.blindIndex('patient.birthDate', birthDate);

/**
 * The patient row's own blind indexes: the record number (unique: the join link's and the desk's
 * lookup), the first family name and the date of birth (the join link's identity check).
 */
export function patientIndexes(fields: FieldProtection, p: Patient) {
  const mrn = p.identifier?.find((i) => i.system === MRN_SYSTEM)?.value;
  const family = p.name?.[0]?.family;
  return {
    mrnIndex: mrn ? mrnIndex(fields, mrn) : null,
    familyIndex: family ? fields.blindIndex('patient.family', normalise(family)) : null,
    birthDateIndex: p.birthDate ? birthDateIndex(fields, p.birthDate) : null,
  };
}

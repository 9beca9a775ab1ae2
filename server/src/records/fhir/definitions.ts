import type {
  AllergyIntolerance,
  Condition,
  DocumentReference,
  Encounter,
  MedicationStatement,
  Observation,
  Patient,
  Reference,
  Resource,
} from 'fhir/r4.js';
import type { RecordSectionName } from '@safeconsult/protocol';
import { periodRange } from './dates.js';
import {
  codeParam,
  dateParam,
  encounterRef,
  identifier,
  normaliseName,
  patientRef,
  plainTokens,
  pointInTime,
  token,
  tokensOf,
} from './param-builders.js';

export { normaliseName } from './param-builders.js';

/**
 * The one table of what the FHIR API supports: resource types, the record section the access
 * policy decides them as, and their search parameters with how each is extracted for the index.
 * The router, the search and the CapabilityStatement all read it, so they cannot drift apart.
 */

export const STORED_TYPES = [
  'Patient',
  'Encounter',
  'Observation',
  'Condition',
  'AllergyIntolerance',
  'MedicationStatement',
  'DocumentReference',
] as const;
export type StoredType = (typeof STORED_TYPES)[number];

/** Where a reference parameter is kept: the patient or the encounter column. */
export type ReferenceColumn = 'patient' | 'encounter';

export type SearchParamDef =
  | {
      kind: 'token' | 'string';
      name: string;
      documentation: string;
      /** The normalised values a resource is found by; stored as keyed blind indexes. */
      values: (resource: Resource) => string[];
    }
  | {
      kind: 'reference';
      name: string;
      documentation: string;
      column: ReferenceColumn;
      target: 'Patient' | 'Encounter';
    }
  | { kind: 'date'; name: string; documentation: string };

/** The RESTful interactions of a type, by their CapabilityStatement names. */
export type Interaction =
  'read' | 'vread' | 'update' | 'history-instance' | 'create' | 'search-type';
const ALL_INTERACTIONS: Interaction[] = [
  'read',
  'vread',
  'update',
  'history-instance',
  'create',
  'search-type',
];

export interface ResourceDef {
  type: StoredType;
  interactions: Interaction[];
  /** The record section the access policy decides this type's reads and writes as. */
  section: RecordSectionName;
  /** The reference to the patient the resource is about (absent for Patient itself). */
  patient?: (resource: Resource) => Reference | undefined;
  encounter?: (resource: Resource) => Reference | undefined;
  /** The clinical date searched by the `date`-kind parameter and sorted by. */
  date?: (resource: Resource) => { start: Date | null; end: Date | null };
  params: SearchParamDef[];
}

const as = <T extends Resource>(r: Resource) => r as T;

export const RESOURCE_DEFS: Record<StoredType, ResourceDef> = {
  Patient: {
    type: 'Patient',
    // Created as `registerPatient`, not `writeRecord`: a new patient has no care team yet.
    interactions: ALL_INTERACTIONS,
    section: 'demographics',
    params: [
      identifier((r) => as<Patient>(r).identifier),
      {
        kind: 'string',
        name: 'name',
        documentation: 'Any given or family name, exact match only (blind index; no prefixes).',
        values: (r) =>
          (as<Patient>(r).name ?? []).flatMap((n) =>
            [n.family, ...(n.given ?? [])].flatMap((v) => (v ? [normaliseName(v)] : [])),
          ),
      },
      {
        kind: 'string',
        name: 'family',
        documentation: 'The family name, exact match only (blind index; no prefixes).',
        values: (r) =>
          (as<Patient>(r).name ?? []).flatMap((n) => (n.family ? [normaliseName(n.family)] : [])),
      },
      token('birthdate', 'The date of birth as YYYY-MM-DD, exact match only (blind index).', (r) =>
        plainTokens([as<Patient>(r).birthDate]),
      ),
      token('gender', 'Administrative gender (code).', (r) => plainTokens([as<Patient>(r).gender])),
    ],
  },
  Encounter: {
    type: 'Encounter',
    interactions: ALL_INTERACTIONS,
    section: 'clinical_notes',
    patient: (r) => as<Encounter>(r).subject,
    date: (r) => periodRange(as<Encounter>(r).period),
    params: [
      patientRef('patient'),
      patientRef('subject'),
      identifier((r) => as<Encounter>(r).identifier),
      token('status', 'The encounter status (code).', (r) =>
        plainTokens([as<Encounter>(r).status]),
      ),
      token('class', 'The encounter class: system|code or code.', (r) =>
        tokensOf([as<Encounter>(r).class]),
      ),
      codeParam('type', (r) => as<Encounter>(r).type ?? []),
      dateParam('date', 'The period of the encounter'),
    ],
  },
  Observation: {
    type: 'Observation',
    interactions: ALL_INTERACTIONS,
    section: 'observations',
    patient: (r) => as<Observation>(r).subject,
    encounter: (r) => as<Observation>(r).encounter,
    date: (r) => {
      const o = as<Observation>(r);
      if (o.effectivePeriod) return periodRange(o.effectivePeriod);
      return pointInTime(o.effectiveDateTime ?? o.effectiveInstant ?? o.issued);
    },
    params: [
      patientRef('patient'),
      patientRef('subject'),
      encounterRef,
      identifier((r) => as<Observation>(r).identifier),
      codeParam('code', (r) => [as<Observation>(r).code]),
      codeParam('category', (r) => as<Observation>(r).category ?? []),
      token('status', 'The observation status (code).', (r) =>
        plainTokens([as<Observation>(r).status]),
      ),
      dateParam('date', 'When the observation was made (effective[x], else issued)'),
    ],
  },
  Condition: {
    type: 'Condition',
    interactions: ALL_INTERACTIONS,
    section: 'problems',
    patient: (r) => as<Condition>(r).subject,
    encounter: (r) => as<Condition>(r).encounter,
    date: (r) => {
      const c = as<Condition>(r);
      return c.onsetPeriod ? periodRange(c.onsetPeriod) : pointInTime(c.onsetDateTime);
    },
    params: [
      patientRef('patient'),
      patientRef('subject'),
      encounterRef,
      identifier((r) => as<Condition>(r).identifier),
      codeParam('code', (r) => [as<Condition>(r).code]),
      codeParam('category', (r) => as<Condition>(r).category ?? []),
      codeParam('clinical-status', (r) => [as<Condition>(r).clinicalStatus]),
      codeParam('verification-status', (r) => [as<Condition>(r).verificationStatus]),
      dateParam('onset-date', 'The onset (onsetDateTime or onsetPeriod)'),
    ],
  },
  AllergyIntolerance: {
    type: 'AllergyIntolerance',
    interactions: ALL_INTERACTIONS,
    section: 'allergies',
    patient: (r) => as<AllergyIntolerance>(r).patient,
    encounter: (r) => as<AllergyIntolerance>(r).encounter,
    date: (r) => pointInTime(as<AllergyIntolerance>(r).recordedDate),
    params: [
      patientRef('patient'),
      identifier((r) => as<AllergyIntolerance>(r).identifier),
      codeParam('code', (r) => [as<AllergyIntolerance>(r).code]),
      token('category', 'food, medication, environment or biologic.', (r) =>
        plainTokens(as<AllergyIntolerance>(r).category ?? []),
      ),
      codeParam('clinical-status', (r) => [as<AllergyIntolerance>(r).clinicalStatus]),
      token('criticality', 'low, high or unable-to-assess.', (r) =>
        plainTokens([as<AllergyIntolerance>(r).criticality]),
      ),
      dateParam('date', 'When the allergy was recorded'),
    ],
  },
  MedicationStatement: {
    type: 'MedicationStatement',
    interactions: ALL_INTERACTIONS,
    section: 'medications',
    patient: (r) => as<MedicationStatement>(r).subject,
    encounter: (r) => as<MedicationStatement>(r).context,
    date: (r) => {
      const m = as<MedicationStatement>(r);
      return m.effectivePeriod ? periodRange(m.effectivePeriod) : pointInTime(m.effectiveDateTime);
    },
    params: [
      patientRef('patient'),
      patientRef('subject'),
      identifier((r) => as<MedicationStatement>(r).identifier),
      codeParam('code', (r) => [as<MedicationStatement>(r).medicationCodeableConcept]),
      codeParam('category', (r) => [as<MedicationStatement>(r).category]),
      token('status', 'The statement status (code).', (r) =>
        plainTokens([as<MedicationStatement>(r).status]),
      ),
      dateParam('effective', 'When the medication is or was taken (effective[x])'),
    ],
  },
  DocumentReference: {
    type: 'DocumentReference',
    interactions: ALL_INTERACTIONS,
    section: 'clinical_notes',
    patient: (r) => as<DocumentReference>(r).subject,
    encounter: (r) => as<DocumentReference>(r).context?.encounter?.[0],
    date: (r) => pointInTime(as<DocumentReference>(r).date),
    params: [
      patientRef('patient'),
      patientRef('subject'),
      encounterRef,
      identifier((r) => {
        const d = as<DocumentReference>(r);
        return [d.masterIdentifier, ...(d.identifier ?? [])];
      }),
      codeParam('type', (r) => [as<DocumentReference>(r).type]),
      codeParam('category', (r) => as<DocumentReference>(r).category ?? []),
      token('status', 'The document reference status (code).', (r) =>
        plainTokens([as<DocumentReference>(r).status]),
      ),
      dateParam('date', 'When the document reference was created'),
    ],
  },
};

/** Parameters every stored type has, besides its own. */
export const COMMON_PARAMS: SearchParamDef[] = [
  token('_id', 'The logical id (exact).', () => []),
  dateParam('_lastUpdated', 'When the resource last changed'),
];

/** Parameters that shape the result rather than select it. */
export const RESULT_PARAMS = ['_count', '_sort', '_include', '_total', '_format'] as const;

/** The most entries one page holds; `_count` above it is capped. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export const isStoredType = (type: string): type is StoredType =>
  (STORED_TYPES as readonly string[]).includes(type);

export function paramOf(def: ResourceDef, name: string): SearchParamDef | undefined {
  return [...COMMON_PARAMS, ...def.params].find((p) => p.name === name);
}

/** The `_sort` keys of a type: its clinical date (if any) and the last change, each either way. */
export function sortKeysOf(def: ResourceDef): string[] {
  const date = def.params.find((p) => p.kind === 'date')?.name;
  return [...(date ? [date] : []), '_lastUpdated'];
}

/** `Type:param` for every reference parameter: what `_include` may follow. */
export function includesOf(def: ResourceDef): string[] {
  return def.params.filter((p) => p.kind === 'reference').map((p) => `${def.type}:${p.name}`);
}

/** The id in a reference to a resource of `type`, as `Type/<id>` or a bare id. */
export function referencedId(ref: Reference | undefined, type: string): string | undefined {
  const text = ref?.reference;
  if (!text) return undefined;
  const match = new RegExp(`^(?:${type}/)?([A-Za-z0-9\\-.]{1,64})$`).exec(text);
  return match?.[1];
}

/** The record section the access policy decides a stored type's reads and writes as. */
export const recordSectionOf = (type: StoredType): RecordSectionName => RESOURCE_DEFS[type].section;

/**
 * The parts of FHIR R4 resources this module reads and writes. Structural validation against the
 * official definitions happens at the FHIR API's edge; these types describe what passed it.
 */
export interface Coding {
  system?: string;
  code?: string;
  display?: string;
}

export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}

export interface Identifier {
  use?: 'usual' | 'official' | 'temp' | 'secondary' | 'old';
  system?: string;
  value?: string;
}

export interface HumanName {
  use?: 'usual' | 'official' | 'temp' | 'nickname' | 'anonymous' | 'old' | 'maiden';
  family?: string;
  given?: string[];
}

export interface ContactPoint {
  system?: 'phone' | 'fax' | 'email' | 'pager' | 'url' | 'sms' | 'other';
  value?: string;
  use?: 'home' | 'work' | 'temp' | 'old' | 'mobile';
}

export interface Address {
  line?: string[];
  city?: string;
  postalCode?: string;
  country?: string;
}

/** Security labels (HL7 v3 ActCode sensitivity codes such as PSY) mark content a patient may withhold. */
export interface Meta {
  security?: Coding[];
}

export interface Reference {
  reference?: string;
  display?: string;
}

export interface Quantity {
  value?: number;
  unit?: string;
  system?: string;
  code?: string;
}

export interface Patient {
  resourceType: 'Patient';
  id?: string;
  identifier?: Identifier[];
  name?: HumanName[];
  telecom?: ContactPoint[];
  gender?: 'male' | 'female' | 'other' | 'unknown';
  birthDate?: string;
  address?: Address[];
}

export interface Condition {
  resourceType: 'Condition';
  id?: string;
  meta?: Meta;
  clinicalStatus?: CodeableConcept;
  verificationStatus?: CodeableConcept;
  category?: CodeableConcept[];
  code?: CodeableConcept;
  subject: Reference;
  onsetDateTime?: string;
  recordedDate?: string;
}

export interface AllergyIntolerance {
  resourceType: 'AllergyIntolerance';
  id?: string;
  meta?: Meta;
  clinicalStatus?: CodeableConcept;
  verificationStatus?: CodeableConcept;
  category?: ('food' | 'medication' | 'environment' | 'biologic')[];
  criticality?: 'low' | 'high' | 'unable-to-assess';
  code?: CodeableConcept;
  patient: Reference;
  reaction?: { manifestation: CodeableConcept[]; severity?: 'mild' | 'moderate' | 'severe' }[];
}

export interface MedicationStatement {
  resourceType: 'MedicationStatement';
  id?: string;
  meta?: Meta;
  status:
    | 'active'
    | 'completed'
    | 'entered-in-error'
    | 'intended'
    | 'stopped'
    | 'on-hold'
    | 'unknown'
    | 'not-taken';
  medicationCodeableConcept?: CodeableConcept;
  subject: Reference;
  effectiveDateTime?: string;
  dosage?: { text?: string }[];
}

export interface Observation {
  resourceType: 'Observation';
  id?: string;
  meta?: Meta;
  status: 'registered' | 'preliminary' | 'final' | 'amended' | 'corrected' | 'cancelled';
  category?: CodeableConcept[];
  code: CodeableConcept;
  subject: Reference;
  effectiveDateTime?: string;
  valueQuantity?: Quantity;
  component?: { code: CodeableConcept; valueQuantity?: Quantity }[];
}

/** A contact between the patient and the clinic, such as a video consult (FHIR R4 Encounter). */
export interface Encounter {
  resourceType: 'Encounter';
  id?: string;
  meta?: Meta;
  status: 'planned' | 'arrived' | 'in-progress' | 'finished' | 'cancelled' | 'entered-in-error';
  class: Coding;
  subject: Reference;
  participant?: { type?: CodeableConcept[]; individual?: Reference; period?: Period }[];
  appointment?: Reference[];
  period?: Period;
}

export interface Period {
  start?: string;
  end?: string;
}

/** A document about the patient, such as a consult note (FHIR R4 DocumentReference). */
export interface DocumentReference {
  resourceType: 'DocumentReference';
  id?: string;
  meta?: Meta;
  status: 'current' | 'superseded' | 'entered-in-error';
  docStatus?: 'preliminary' | 'final' | 'amended' | 'entered-in-error';
  type?: CodeableConcept;
  subject: Reference;
  date?: string;
  author?: Reference[];
  relatesTo?: { code: 'replaces' | 'transforms' | 'signs' | 'appends'; target: Reference }[];
  content: {
    attachment: {
      contentType?: string;
      language?: string;
      /** Base64 of the content's bytes. */
      data?: string;
      title?: string;
      creation?: string;
    };
  }[];
  context?: { encounter?: Reference[]; period?: Period };
}

export type ClinicalResource =
  | Condition
  | AllergyIntolerance
  | MedicationStatement
  | Observation
  | Encounter
  | DocumentReference;

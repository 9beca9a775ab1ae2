import type { RecordSectionName } from '@safeconsult/protocol';

/**
 * The parts of FHIR R4 resources the record pages show. Items arrive as stored, so every field is
 * optional here: a missing one shows as a dash, never as an error.
 */
interface Coding {
  code?: string;
  display?: string;
}
interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}
interface Quantity {
  value?: number;
  unit?: string;
  code?: string;
}
export interface Resource {
  id?: string;
  resourceType?: string;
  [field: string]: unknown;
}

/** One cell of a record table, for the page to put into words in the reader's language. */
export type Cell =
  | { kind: 'text'; text: string }
  /** A coded value with words in both languages: the key `fhir.<group>.<code>`. */
  | { kind: 'term'; key: string }
  /** A FHIR date (year, month or day) or date-time. */
  | { kind: 'date'; value: string }
  /** Numbers with their unit; several numbers (a blood pressure) are shown as 138/86. */
  | { kind: 'quantity'; values: number[]; unit: string }
  | { kind: 'labelled'; label: string; cell: Cell }
  | { kind: 'qualified'; main: Cell; qualifier: Cell }
  | { kind: 'list'; cells: Cell[] };

export interface SectionView {
  /** One resource read as a list of facts (demographics), or many as table rows. */
  layout: 'facts' | 'table';
  /** Translation keys of the column headings (or the facts' names). */
  columns: string[];
  rows: { key: string; cells: Cell[] }[];
}

/** Coded values that have words in both languages; any other code is shown as it comes. */
export const FHIR_TERMS = {
  gender: ['male', 'female', 'other', 'unknown'],
  clinicalStatus: ['active', 'recurrence', 'relapse', 'inactive', 'remission', 'resolved'],
  criticality: ['low', 'high', 'unable-to-assess'],
  severity: ['mild', 'moderate', 'severe'],
  allergyCategory: ['food', 'medication', 'environment', 'biologic'],
  medicationStatus: [
    'active',
    'completed',
    'entered-in-error',
    'intended',
    'stopped',
    'on-hold',
    'unknown',
    'not-taken',
  ],
  appointmentStatus: [
    'proposed',
    'pending',
    'booked',
    'arrived',
    'fulfilled',
    'cancelled',
    'noshow',
    'entered-in-error',
    'checked-in',
    'waitlist',
  ],
} as const;
type TermGroup = keyof typeof FHIR_TERMS;

const NONE: Cell = { kind: 'text', text: '—' };

/** UCUM codes whose printed symbol reads better than the code itself. */
const UNIT_SYMBOLS: Record<string, string> = { Cel: '°C', '[degF]': '°F', 'mm[Hg]': 'mmHg' };

const BLOOD_PRESSURE = { panel: '85354-9', systolic: '8480-6', diastolic: '8462-4' };

const text = (value: string | undefined): Cell => (value ? { kind: 'text', text: value } : NONE);

function term(group: TermGroup, code: string | undefined, fallback?: string): Cell {
  if (code && (FHIR_TERMS[group] as readonly string[]).includes(code)) {
    return { kind: 'term', key: `fhir.${group}.${code}` };
  }
  return text(fallback ?? code);
}

const date = (value: unknown): Cell =>
  typeof value === 'string' && value ? { kind: 'date', value } : NONE;

const list = (cells: Cell[]): Cell =>
  cells.length === 0 ? NONE : cells.length === 1 ? cells[0]! : { kind: 'list', cells };

const asArray = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);

/** What a coded concept says to people: its text, else the first coding's display or code. */
export function conceptText(concept: unknown): string | undefined {
  const c = concept as CodeableConcept | undefined;
  const coding = c?.coding?.find((x) => x.display) ?? c?.coding?.[0];
  return c?.text ?? coding?.display ?? coding?.code;
}

export const codeOf = (concept: unknown) =>
  (concept as CodeableConcept | undefined)?.coding?.[0]?.code;

function unitOf(q: Quantity): string {
  const unit = q.unit ?? q.code ?? '';
  return UNIT_SYMBOLS[unit] ?? unit;
}

function quantity(value: unknown): Cell {
  const q = value as Quantity | undefined;
  return typeof q?.value === 'number'
    ? { kind: 'quantity', values: [q.value], unit: unitOf(q) }
    : NONE;
}

interface Component {
  code?: CodeableConcept;
  valueQuantity?: Quantity;
}

/** An observation's result: one value, a blood pressure as systolic/diastolic, or its parts. */
export function observationValue(o: Resource): Cell {
  if (o.valueQuantity) return quantity(o.valueQuantity);
  if (typeof o.valueString === 'string') return text(o.valueString);
  if (o.valueCodeableConcept) return text(conceptText(o.valueCodeableConcept));
  const components = asArray<Component>(o.component);
  const part = (loinc: string) => components.find((c) => codeOf(c.code) === loinc)?.valueQuantity;
  const systolic = part(BLOOD_PRESSURE.systolic);
  const diastolic = part(BLOOD_PRESSURE.diastolic);
  if (
    codeOf(o.code) === BLOOD_PRESSURE.panel &&
    typeof systolic?.value === 'number' &&
    typeof diastolic?.value === 'number'
  ) {
    return { kind: 'quantity', values: [systolic.value, diastolic.value], unit: unitOf(systolic) };
  }
  return list(
    components.map((c) => ({
      kind: 'labelled',
      label: conceptText(c.code) ?? '—',
      cell: quantity(c.valueQuantity),
    })),
  );
}

/** A patient's first name entry as people say it: given names, then the family name. */
export function patientName(patient: Record<string, unknown>): string {
  const name = asArray<{ given?: string[]; family?: string }>(patient.name)[0];
  return [...(name?.given ?? []), name?.family].filter(Boolean).join(' ');
}

function patientFacts(p: Resource): Cell[] {
  const telecom = asArray<{ system?: string; value?: string }>(p.telecom);
  const contact = (system: string) =>
    list(telecom.filter((t) => t.system === system && t.value).map((t) => text(t.value)));
  const addresses = asArray<{ line?: string[]; postalCode?: string; city?: string }>(p.address);
  const identifiers = asArray<{ system?: string; value?: string }>(p.identifier);
  return [
    text(patientName(p)),
    date(p.birthDate),
    term('gender', typeof p.gender === 'string' ? p.gender : undefined),
    list(identifiers.filter((i) => i.value).map((i) => text(i.value))),
    contact('phone'),
    contact('email'),
    list(
      addresses.map((a) =>
        text([...(a.line ?? []), [a.postalCode, a.city].filter(Boolean).join(' ')].join(', ')),
      ),
    ),
  ];
}

function appointmentCells(a: Resource): Cell[] {
  const clinician = asArray<{ actor?: { reference?: string; display?: string } }>(
    a.participant,
  ).find((p) => p.actor?.reference?.startsWith('Practitioner/'));
  const minutes = typeof a.minutesDuration === 'number' ? a.minutesDuration : undefined;
  return [
    date(a.start),
    minutes === undefined ? NONE : { kind: 'quantity', values: [minutes], unit: 'min' },
    text(clinician?.actor?.display),
    term('appointmentStatus', typeof a.status === 'string' ? a.status : undefined),
  ];
}

function conditionCells(c: Resource): Cell[] {
  return [
    text(conceptText(c.code)),
    term('clinicalStatus', codeOf(c.clinicalStatus), conceptText(c.clinicalStatus)),
    date(c.onsetDateTime ?? c.recordedDate),
  ];
}

function allergyCells(a: Resource): Cell[] {
  const reactions = asArray<{ manifestation?: CodeableConcept[]; severity?: string }>(a.reaction);
  return [
    text(conceptText(a.code)),
    list(asArray<string>(a.category).map((c) => term('allergyCategory', c))),
    term('criticality', typeof a.criticality === 'string' ? a.criticality : undefined),
    list(
      reactions.map((r) => {
        const main = text((r.manifestation ?? []).map(conceptText).filter(Boolean).join(', '));
        return r.severity
          ? { kind: 'qualified', main, qualifier: term('severity', r.severity) }
          : main;
      }),
    ),
  ];
}

function medicationCells(m: Resource): Cell[] {
  const reference = m.medicationReference as { display?: string } | undefined;
  return [
    text(conceptText(m.medicationCodeableConcept) ?? reference?.display),
    list(asArray<{ text?: string }>(m.dosage).flatMap((d) => (d.text ? [text(d.text)] : []))),
    term('medicationStatus', typeof m.status === 'string' ? m.status : undefined),
  ];
}

const observationCells = (o: Resource): Cell[] => [
  text(conceptText(o.code)),
  observationValue(o),
  date(o.effectiveDateTime ?? o.issued),
];

/** Anything the page has no columns for yet: its kind and what it is about. */
const genericCells = (r: Resource): Cell[] => [text(r.resourceType), text(conceptText(r.code))];

/** Newest first; entries without a date go last. */
function byDateDescending(field: (r: Resource) => unknown) {
  const time = (r: Resource) => {
    const value = field(r);
    return typeof value === 'string' ? Date.parse(value) || 0 : 0;
  };
  return (a: Resource, b: Resource) => time(b) - time(a);
}

function table(
  columns: string[],
  items: Resource[],
  cells: (r: Resource) => Cell[],
): Omit<SectionView, 'layout'> {
  return {
    columns,
    rows: items.map((item, i) => ({ key: item.id ?? String(i), cells: cells(item) })),
  };
}

/** A section of the record as the page shows it: which columns, and what each row says. */
export function sectionView(
  section: RecordSectionName,
  items: Record<string, unknown>[],
): SectionView {
  const resources = items as Resource[];
  switch (section) {
    case 'demographics':
      return {
        layout: 'facts',
        ...table(
          [
            'patients.name',
            'patients.birthDate',
            'record.gender',
            'patients.mrn',
            'record.phone',
            'record.email',
            'record.address',
          ],
          resources.slice(0, 1),
          patientFacts,
        ),
      };
    case 'scheduling':
      return {
        layout: 'table',
        ...table(
          ['record.when', 'record.duration', 'record.clinician', 'record.status'],
          resources,
          appointmentCells,
        ),
      };
    case 'problems':
      return {
        layout: 'table',
        ...table(['record.problem', 'record.status', 'record.since'], resources, conditionCells),
      };
    case 'allergies':
      return {
        layout: 'table',
        ...table(
          ['record.substance', 'record.category', 'record.criticality', 'record.reactions'],
          resources,
          allergyCells,
        ),
      };
    case 'medications':
      return {
        layout: 'table',
        ...table(
          ['record.medication', 'record.dosage', 'record.status'],
          resources,
          medicationCells,
        ),
      };
    case 'observations':
      return {
        layout: 'table',
        ...table(
          ['record.measurement', 'record.value', 'record.when'],
          [...resources].sort(byDateDescending((o) => o.effectiveDateTime ?? o.issued)),
          observationCells,
        ),
      };
    case 'clinical_notes':
    case 'files':
      return {
        layout: 'table',
        ...table(['record.kind', 'record.about'], resources, genericCells),
      };
  }
}

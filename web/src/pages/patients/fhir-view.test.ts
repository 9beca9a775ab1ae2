import { describe, expect, it } from 'vitest';
import { RECORD_SECTIONS } from '@safeconsult/protocol';
import de from '../../i18n/locales/de.json';
import en from '../../i18n/locales/en.json';
import { FHIR_TERMS, sectionView, type Cell } from './fhir-view.js';

type Tree = { [key: string]: string | Tree };
const lookup = (tree: Tree, key: string): unknown =>
  key.split('.').reduce<unknown>((node, part) => (node as Tree | undefined)?.[part], tree);

const concept = (system: string, code: string, display: string) => ({
  coding: [{ system, code, display }],
  text: display,
});
const SNOMED = 'http://snomed.info/sct';
const LOINC = 'http://loinc.org';
const mmHg = (value: number) => ({ value, unit: 'mmHg', code: 'mm[Hg]' });
const text = (value: string): Cell => ({ kind: 'text', text: value });
const DASH = text('—');

describe('sectionView', () => {
  it('reads a patient as facts: name, dates, coded gender, record number, contact', () => {
    const view = sectionView('demographics', [
      {
        resourceType: 'Patient',
        id: 'p1',
        identifier: [{ system: 'urn:mrn', value: 'RFP-100231' }],
        name: [{ family: 'Schneider', given: ['Maria', 'Elisabeth'] }],
        gender: 'female',
        birthDate: '1968-03-14',
        telecom: [
          { system: 'phone', value: '+44 7700 900231' },
          { system: 'email', value: 'maria@mail.example' },
          { system: 'phone', value: '+44 20 7946 0000' },
        ],
        address: [{ line: ['12 Willow Lane'], city: 'Riverside', postalCode: 'RS1 4AB' }],
      },
    ]);
    expect(view.layout).toBe('facts');
    expect(view.rows[0]?.cells).toEqual([
      text('Maria Elisabeth Schneider'),
      { kind: 'date', value: '1968-03-14' },
      { kind: 'term', key: 'fhir.gender.female' },
      text('RFP-100231'),
      { kind: 'list', cells: [text('+44 7700 900231'), text('+44 20 7946 0000')] },
      text('maria@mail.example'),
      text('12 Willow Lane, RS1 4AB Riverside'),
    ]);
    expect(view.columns).toHaveLength(view.rows[0]!.cells.length);
  });

  it('reads a problem by its text, its status in words and its onset', () => {
    const view = sectionView('problems', [
      {
        resourceType: 'Condition',
        id: 'c1',
        clinicalStatus: concept('x', 'active', 'Active'),
        code: { coding: [{ system: SNOMED, code: '195967001', display: 'Asthma' }] },
        onsetDateTime: '2003-09-15',
      },
      {
        resourceType: 'Condition',
        id: 'c2',
        clinicalStatus: concept('x', 'in-doubt', 'In doubt'),
        code: { coding: [{ system: SNOMED, code: '44054006' }] },
      },
    ]);
    expect(view.rows.map((r) => r.cells)).toEqual([
      [
        text('Asthma'),
        { kind: 'term', key: 'fhir.clinicalStatus.active' },
        { kind: 'date', value: '2003-09-15' },
      ],
      // An unknown status keeps its own words; a concept without words shows its code.
      [text('44054006'), text('In doubt'), DASH],
    ]);
  });

  it('reads an allergy with its category, criticality and reactions with their severity', () => {
    const [row] = sectionView('allergies', [
      {
        resourceType: 'AllergyIntolerance',
        category: ['food'],
        criticality: 'high',
        code: concept(SNOMED, '762952008', 'Peanut'),
        reaction: [
          { manifestation: [concept(SNOMED, '39579001', 'Anaphylaxis')], severity: 'severe' },
        ],
      },
    ]).rows;
    expect(row?.cells).toEqual([
      text('Peanut'),
      { kind: 'term', key: 'fhir.allergyCategory.food' },
      { kind: 'term', key: 'fhir.criticality.high' },
      {
        kind: 'qualified',
        main: text('Anaphylaxis'),
        qualifier: { kind: 'term', key: 'fhir.severity.severe' },
      },
    ]);
  });

  it('reads a medication with its dosage and status', () => {
    const [row] = sectionView('medications', [
      {
        resourceType: 'MedicationStatement',
        status: 'active',
        medicationCodeableConcept: concept('rx', '861004', 'Metformin 1000 MG Oral Tablet'),
        dosage: [{ text: '1000 mg twice daily with meals' }],
      },
    ]).rows;
    expect(row?.cells).toEqual([
      text('Metformin 1000 MG Oral Tablet'),
      text('1000 mg twice daily with meals'),
      { kind: 'term', key: 'fhir.medicationStatus.active' },
    ]);
  });

  it('reads observations newest first, with units, a blood pressure as one value', () => {
    const view = sectionView('observations', [
      {
        resourceType: 'Observation',
        id: 'temperature',
        code: concept(LOINC, '8310-5', 'Body temperature'),
        effectiveDateTime: '2026-11-01T08:00:00.000Z',
        valueQuantity: { value: 36.8, unit: 'Cel', code: 'Cel' },
      },
      {
        resourceType: 'Observation',
        id: 'bp',
        code: concept(LOINC, '85354-9', 'Blood pressure panel'),
        effectiveDateTime: '2026-11-20T08:00:00.000Z',
        component: [
          { code: concept(LOINC, '8480-6', 'Systolic'), valueQuantity: mmHg(138) },
          { code: concept(LOINC, '8462-4', 'Diastolic'), valueQuantity: mmHg(86) },
        ],
      },
      {
        resourceType: 'Observation',
        id: 'panel',
        code: concept(LOINC, '0000-0', 'Some panel'),
        component: [
          { code: concept(LOINC, '1', 'Left'), valueQuantity: { value: 1, unit: 'mg' } },
          { code: concept(LOINC, '2', 'Right') },
        ],
      },
    ]);
    expect(view.rows.map((r) => r.key)).toEqual(['bp', 'temperature', 'panel']);
    expect(view.rows.map((r) => r.cells[1])).toEqual([
      { kind: 'quantity', values: [138, 86], unit: 'mmHg' },
      { kind: 'quantity', values: [36.8], unit: '°C' },
      {
        kind: 'list',
        cells: [
          { kind: 'labelled', label: 'Left', cell: { kind: 'quantity', values: [1], unit: 'mg' } },
          { kind: 'labelled', label: 'Right', cell: DASH },
        ],
      },
    ]);
  });

  it('reads an appointment with its time, length, clinician and status', () => {
    const [row] = sectionView('scheduling', [
      {
        resourceType: 'Appointment',
        status: 'booked',
        start: '2026-11-26T09:00:00.000Z',
        minutesDuration: 20,
        participant: [
          { actor: { reference: 'Patient/p1' } },
          { actor: { reference: 'Practitioner/u1', display: 'Dr. Jonas Becker' } },
        ],
      },
    ]).rows;
    expect(row?.cells).toEqual([
      { kind: 'date', value: '2026-11-26T09:00:00.000Z' },
      { kind: 'quantity', values: [20], unit: 'min' },
      text('Dr. Jonas Becker'),
      { kind: 'term', key: 'fhir.appointmentStatus.booked' },
    ]);
  });

  it('shows a dash for what a resource lacks, never fails', () => {
    const [row] = sectionView('allergies', [{ resourceType: 'AllergyIntolerance' }]).rows;
    expect(row?.cells).toEqual([DASH, DASH, DASH, DASH]);
  });

  it('has words in English and German for every coded value and column it names', () => {
    const keys = [
      ...Object.entries(FHIR_TERMS).flatMap(([group, codes]) =>
        codes.map((code) => `fhir.${group}.${code}`),
      ),
      ...RECORD_SECTIONS.flatMap((section) => sectionView(section, []).columns),
    ];
    for (const key of keys) {
      expect(typeof lookup(en, key), key).toBe('string');
      expect(typeof lookup(de, key), key).toBe('string');
    }
  });
});

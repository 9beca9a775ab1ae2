import type { NewStaffUser } from '../identity/index.js';
import {
  MRN_SYSTEM,
  type ClinicalResource,
  type Condition,
  type MedicationStatement,
  type Patient,
} from '../records/index.js';
import type { ClinicProfile } from '../clinic/index.js';

/** An invented clinic. Every name, number and address below is fictitious. */
export const DEMO_CLINIC: ClinicProfile = {
  name: 'Riverside Family Practice',
  locale: 'en',
  timeZone: 'Europe/Berlin',
};

/**
 * Every demo staff account signs in with this password. It is published in the README: the demo
 * clinic is for trying the product, never for real patients.
 */
export const DEMO_STAFF_PASSWORD = 'quiet harbour lantern 42';

/** Fixed ids, so that scripts and browser tests can name demo people. */
export const DEMO_STAFF: (NewStaffUser & { id: string })[] = [
  {
    id: '00000000-0000-4000-8000-000000000001',
    email: 'alex.morgan@riverside.example',
    displayName: 'Alex Morgan',
    role: 'admin',
  },
  {
    id: '00000000-0000-4000-8000-000000000002',
    email: 'priya.natarajan@riverside.example',
    displayName: 'Priya Natarajan',
    role: 'security_officer',
  },
  {
    id: '00000000-0000-4000-8000-000000000003',
    email: 'jonas.becker@riverside.example',
    displayName: 'Dr. Jonas Becker',
    role: 'clinician',
  },
  {
    id: '00000000-0000-4000-8000-000000000004',
    email: 'amara.okafor@riverside.example',
    displayName: 'Dr. Amara Okafor',
    role: 'clinician',
  },
  {
    id: '00000000-0000-4000-8000-000000000005',
    email: 'sam.weller@riverside.example',
    displayName: 'Sam Weller',
    role: 'front_desk',
  },
  {
    id: '00000000-0000-4000-8000-000000000006',
    email: 'tomasz.nowak@riverside.example',
    displayName: 'Tomasz Nowak',
    role: 'nurse',
  },
  {
    id: '00000000-0000-4000-8000-000000000007',
    email: 'leah.stein@riverside.example',
    displayName: 'Dr. Leah Stein',
    role: 'researcher',
  },
];

const staffId = (email: string) => {
  const found = DEMO_STAFF.find((s) => s.email.startsWith(email));
  if (!found) throw new Error(`the demo clinic has no ${email}`);
  return found.id;
};

const SNOMED = 'http://snomed.info/sct';
const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

const concept = (system: string, code: string, display: string) => ({
  coding: [{ system, code, display }],
  text: display,
});
const active = concept(
  'http://terminology.hl7.org/CodeSystem/condition-clinical',
  'active',
  'Active',
);
const allergyActive = concept(
  'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical',
  'active',
  'Active',
);
const vitalSigns = [
  concept(
    'http://terminology.hl7.org/CodeSystem/observation-category',
    'vital-signs',
    'Vital Signs',
  ),
];
const laboratory = [
  concept('http://terminology.hl7.org/CodeSystem/observation-category', 'laboratory', 'Laboratory'),
];

export interface DemoPatient {
  patient: Patient;
  /** The patient's records; `subject` and `patient` references are filled in when stored. */
  records: (subject: string, daysAgo: (days: number) => string) => ClinicalResource[];
  /** Staff on the patient's care team. */
  careTeam: string[];
  /** The patient's consent directives. */
  consent: ({ kind: 'exclude_staff'; userId: string } | { kind: 'withhold_label'; label: 'PSY' })[];
}

/** Marks content as mental-health information, which a patient may withhold. */
const mentalHealth = {
  security: [
    {
      system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
      code: 'PSY',
      display: 'psychiatry disorder information sensitivity',
    },
  ],
};

const quantity = (value: number, unit: string, code: string) => ({
  value,
  unit,
  system: UCUM,
  code,
});

function bloodPressure(subject: string, when: string, systolic: number, diastolic: number) {
  return {
    resourceType: 'Observation' as const,
    status: 'final' as const,
    category: vitalSigns,
    code: concept(LOINC, '85354-9', 'Blood pressure panel'),
    subject: { reference: subject },
    effectiveDateTime: when,
    component: [
      {
        code: concept(LOINC, '8480-6', 'Systolic blood pressure'),
        valueQuantity: quantity(systolic, 'mmHg', 'mm[Hg]'),
      },
      {
        code: concept(LOINC, '8462-4', 'Diastolic blood pressure'),
        valueQuantity: quantity(diastolic, 'mmHg', 'mm[Hg]'),
      },
    ],
  };
}

function measurement(
  subject: string,
  when: string,
  code: ReturnType<typeof concept>,
  value: ReturnType<typeof quantity>,
  category = vitalSigns,
) {
  return {
    resourceType: 'Observation' as const,
    status: 'final' as const,
    category,
    code,
    subject: { reference: subject },
    effectiveDateTime: when,
    valueQuantity: value,
  };
}

function condition(subject: string, snomed: string, display: string, onset: string): Condition {
  return {
    resourceType: 'Condition',
    clinicalStatus: active,
    code: concept(SNOMED, snomed, display),
    subject: { reference: subject },
    onsetDateTime: onset,
  };
}

function medication(
  subject: string,
  rxnorm: string,
  display: string,
  dosage: string,
): MedicationStatement {
  return {
    resourceType: 'MedicationStatement',
    status: 'active',
    medicationCodeableConcept: concept(RXNORM, rxnorm, display),
    subject: { reference: subject },
    dosage: [{ text: dosage }],
  };
}

function mrn(value: string) {
  return [{ use: 'usual' as const, system: MRN_SYSTEM, value }];
}

export const DEMO_PATIENTS: DemoPatient[] = [
  {
    patient: {
      resourceType: 'Patient',
      id: '00000000-0000-4000-9000-000000000001',
      identifier: mrn('RFP-100231'),
      name: [{ use: 'official', family: 'Schneider', given: ['Maria', 'Elisabeth'] }],
      gender: 'female',
      birthDate: '1968-03-14',
      telecom: [
        { system: 'phone', value: '+44 7700 900231', use: 'mobile' },
        { system: 'email', value: 'maria.schneider@mail.example' },
      ],
      address: [{ line: ['12 Willow Lane'], city: 'Riverside', postalCode: 'RS1 4AB' }],
    },
    records: (subject, daysAgo) => [
      condition(subject, '38341003', 'Hypertensive disorder', '2015-06-01'),
      condition(subject, '44054006', 'Diabetes mellitus type 2', '2019-02-11'),
      {
        resourceType: 'AllergyIntolerance',
        clinicalStatus: allergyActive,
        category: ['medication'],
        criticality: 'high',
        code: concept(SNOMED, '764146007', 'Penicillin'),
        patient: { reference: subject },
        reaction: [
          {
            manifestation: [concept(SNOMED, '271807003', 'Eruption of skin')],
            severity: 'moderate',
          },
        ],
      },
      medication(subject, '198188', 'Ramipril 5 MG Oral Capsule', '5 mg once daily in the morning'),
      medication(
        subject,
        '861004',
        'Metformin 1000 MG Oral Tablet',
        '1000 mg twice daily with meals',
      ),
      bloodPressure(subject, daysAgo(56), 152, 94),
      bloodPressure(subject, daysAgo(42), 148, 91),
      bloodPressure(subject, daysAgo(28), 145, 90),
      bloodPressure(subject, daysAgo(14), 141, 88),
      bloodPressure(subject, daysAgo(2), 138, 86),
      measurement(
        subject,
        daysAgo(30),
        concept(LOINC, '4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood'),
        quantity(7.2, '%', '%'),
        laboratory,
      ),
      measurement(
        subject,
        daysAgo(2),
        concept(LOINC, '29463-7', 'Body weight'),
        quantity(82.4, 'kg', 'kg'),
      ),
    ],
    careTeam: [staffId('amara.'), staffId('tomasz.')],
    consent: [],
  },
  {
    patient: {
      resourceType: 'Patient',
      id: '00000000-0000-4000-9000-000000000002',
      identifier: mrn('RFP-100587'),
      name: [{ use: 'official', family: 'Okoro', given: ['Daniel'] }],
      gender: 'male',
      birthDate: '1991-11-02',
      telecom: [{ system: 'phone', value: '+44 7700 900587', use: 'mobile' }],
      address: [{ line: ['3 Mill Street, Flat 2'], city: 'Riverside', postalCode: 'RS2 7QT' }],
    },
    records: (subject, daysAgo) => [
      condition(subject, '195967001', 'Asthma', '2003-09-15'),
      {
        resourceType: 'AllergyIntolerance',
        clinicalStatus: allergyActive,
        category: ['food'],
        criticality: 'high',
        code: concept(SNOMED, '762952008', 'Peanut'),
        patient: { reference: subject },
        reaction: [
          { manifestation: [concept(SNOMED, '39579001', 'Anaphylaxis')], severity: 'severe' },
        ],
      },
      medication(
        subject,
        '745679',
        'Albuterol 0.09 MG/ACTUAT Metered Dose Inhaler',
        '2 puffs as needed for wheeze, up to 4 times daily',
      ),
      measurement(
        subject,
        daysAgo(9),
        concept(LOINC, '59408-5', 'Oxygen saturation in Arterial blood by Pulse oximetry'),
        quantity(97, '%', '%'),
      ),
      measurement(
        subject,
        daysAgo(9),
        concept(LOINC, '8867-4', 'Heart rate'),
        quantity(72, 'beats/minute', '/min'),
      ),
      measurement(
        subject,
        daysAgo(1),
        concept(LOINC, '59408-5', 'Oxygen saturation in Arterial blood by Pulse oximetry'),
        quantity(95, '%', '%'),
      ),
    ],
    careTeam: [staffId('jonas.')],
    // Daniel asked not to be seen by Dr. Okafor, a neighbour of his.
    consent: [{ kind: 'exclude_staff', userId: staffId('amara.') }],
  },
  {
    patient: {
      resourceType: 'Patient',
      id: '00000000-0000-4000-9000-000000000003',
      identifier: mrn('RFP-100912'),
      name: [{ use: 'official', family: 'Fischer', given: ['Lena'] }],
      gender: 'female',
      birthDate: '1984-07-23',
      telecom: [
        { system: 'phone', value: '+44 7700 900912', use: 'mobile' },
        { system: 'email', value: 'lena.fischer@mail.example' },
      ],
      address: [{ line: ['48 Harbour Road'], city: 'Riverside', postalCode: 'RS3 9LD' }],
    },
    records: (subject, daysAgo) => [
      condition(subject, '40930008', 'Hypothyroidism', '2012-04-20'),
      {
        ...condition(subject, '21897009', 'Generalized anxiety disorder', '2021-10-05'),
        meta: mentalHealth,
      },
      medication(
        subject,
        '966224',
        'Levothyroxine Sodium 0.075 MG Oral Tablet',
        '75 micrograms once daily before breakfast',
      ),
      measurement(
        subject,
        daysAgo(21),
        concept(LOINC, '3016-3', 'Thyrotropin [Units/volume] in Serum or Plasma'),
        quantity(3.1, 'mIU/L', 'm[IU]/L'),
        laboratory,
      ),
      measurement(
        subject,
        daysAgo(3),
        concept(LOINC, '8310-5', 'Body temperature'),
        quantity(36.8, 'Cel', 'Cel'),
      ),
    ],
    careTeam: [staffId('jonas.'), staffId('tomasz.')],
    // Lena asked that her mental-health history stay with the clinician who treats it elsewhere.
    consent: [{ kind: 'withhold_label', label: 'PSY' }],
  },
];

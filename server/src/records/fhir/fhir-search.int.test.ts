import { and, eq } from 'drizzle-orm';
import type { Bundle, Observation, OperationOutcome, Patient } from 'fhir/r4.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntryTable as ledger } from '../../audit/index.js';
import { DEMO_PATIENTS, seedDemoClinic } from '../../demo/index.js';
import { createTestApp, type TestApp } from '../../test-support/context.js';
import type { HeldSession } from '../../test-support/staff-client.js';
import { storeTargets } from '../../test-support/stores.js';
import { fhirRequest, signInDemo } from '../../test-support/fhir-client.js';

const [MARIA, , LENA] = DEMO_PATIENTS.map((p) => p.patient.id!) as [string, string, string];
const LOINC = 'http://loinc.org';
const VITALS = 'http://terminology.hl7.org/CodeSystem/observation-category';

/** Lena's weights over two years, made through the API by her clinician. */
const WEIGHTS: [string, number, Observation['status']][] = [
  ['2023-06-01T09:00:00Z', 70, 'final'],
  ['2023-12-24T09:00:00Z', 71, 'final'],
  ['2024-02-10T09:00:00Z', 72, 'final'],
  ['2024-03-05T09:00:00Z', 73, 'amended'],
  ['2024-03-20T09:00:00Z', 74, 'final'],
  ['2024-11-30T09:00:00Z', 75, 'preliminary'],
  ['2025-01-15T09:00:00Z', 76, 'final'],
];

describe.each(storeTargets())('FHIR search on %s', (target) => {
  let t: TestApp;
  let jonas: HeldSession;
  let amara: HeldSession;
  let encounterId: string;
  const get = (s: HeldSession, url: string, headers?: Record<string, string>) =>
    fhirRequest(t.app, s, 'GET', url, undefined, headers);
  const search = async (s: HeldSession, url: string) => {
    const res = await get(s, url);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Bundle>();
  };
  const values = (b: Bundle) =>
    (b.entry ?? [])
      .filter((e) => e.search?.mode === 'match')
      .map((e) => (e.resource as Observation).valueQuantity?.value);

  beforeAll(async () => {
    t = await createTestApp(target, { MFA_REQUIRED_ROLES: 'none' });
    await seedDemoClinic(t.ctx);
    jonas = await signInDemo(t.app, 'jonas.');
    amara = await signInDemo(t.app, 'amara.');
    const encounter = await fhirRequest(t.app, jonas, 'POST', '/fhir/Encounter', {
      resourceType: 'Encounter',
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR' },
      subject: { reference: `Patient/${LENA}` },
      period: { start: '2024-03-05T08:45:00Z', end: '2024-03-05T09:15:00Z' },
    });
    expect(encounter.statusCode, encounter.body).toBe(201);
    encounterId = encounter.json<{ id: string }>().id;
    // Written in shuffled order, so that date order is not creation order.
    for (const [when, kg, status] of [...WEIGHTS].reverse()) {
      const res = await fhirRequest(t.app, jonas, 'POST', '/fhir/Observation', {
        resourceType: 'Observation',
        status,
        category: [{ coding: [{ system: VITALS, code: 'vital-signs' }] }],
        code: { coding: [{ system: LOINC, code: '29463-7', display: 'Body weight' }] },
        subject: { reference: `Patient/${LENA}` },
        ...(when.startsWith('2024-03-05')
          ? { encounter: { reference: `Encounter/${encounterId}` } }
          : {}),
        effectiveDateTime: when,
        valueQuantity: { value: kg, unit: 'kg' },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
  });
  afterAll(() => t.close());

  it('pages through everything by following next, in date order either way', async () => {
    const seen: (number | undefined)[] = [];
    let bundle = await search(
      jonas,
      `/fhir/Observation?patient=${LENA}&code=29463-7&_sort=date&_count=3`,
    );
    expect(bundle.total).toBe(WEIGHTS.length);
    for (;;) {
      seen.push(...values(bundle));
      const next = bundle.link?.find((l) => l.relation === 'next')?.url;
      if (!next) break;
      // The link is opaque: no search values travel in it.
      expect(next).not.toContain('29463');
      bundle = await search(jonas, new URL(next).pathname + new URL(next).search);
    }
    expect(seen).toEqual(WEIGHTS.map(([, kg]) => kg));
    const descending = await search(
      jonas,
      `/fhir/Observation?patient=${LENA}&code=29463-7&_sort=-date`,
    );
    expect(values(descending)).toEqual(WEIGHTS.map(([, kg]) => kg).reverse());
    const byChange = await search(
      jonas,
      `/fhir/Observation?patient=${LENA}&code=29463-7&_sort=-_lastUpdated&_count=1`,
    );
    expect(values(byChange)).toEqual([70]); // written last
    // A page link is the caller's own.
    const next = (await search(jonas, `/fhir/Observation?patient=${LENA}&_count=1`)).link!.find(
      (l) => l.relation === 'next',
    )!.url;
    expect((await get(amara, new URL(next).pathname + new URL(next).search)).statusCode).toBe(400);
  });

  it('searches dates with prefixes and partial dates as ranges', async () => {
    const kg = async (query: string) =>
      values(
        await search(jonas, `/fhir/Observation?patient=${LENA}&code=29463-7&_sort=date&${query}`),
      );
    expect(await kg('date=2024')).toEqual([72, 73, 74, 75]);
    expect(await kg('date=2024-03')).toEqual([73, 74]);
    expect(await kg('date=2024-03-05')).toEqual([73]);
    expect(await kg('date=ge2024-03')).toEqual([73, 74, 75, 76]);
    expect(await kg('date=gt2024-03')).toEqual([75, 76]);
    expect(await kg('date=lt2024')).toEqual([70, 71]);
    expect(await kg('date=le2024-02')).toEqual([70, 71, 72]);
    expect(await kg('date=ge2024&date=lt2024-03')).toEqual([72]);
    expect(await kg('date=2023,2025')).toEqual([70, 71, 76]);
    const past = new Date(Date.now() - 3_600_000).toISOString();
    expect((await kg(`_lastUpdated=gt${past}`)).length).toBe(WEIGHTS.length);
    expect(await kg(`_lastUpdated=lt${past}`)).toEqual([]);
  });

  it('matches codes with or without system, categories, statuses, ids and encounters', async () => {
    const count = async (query: string) =>
      (await search(jonas, `/fhir/Observation?patient=${LENA}&${query}`)).total;
    expect(await count(`code=${LOINC}|29463-7`)).toBe(7);
    expect(await count('code=http://snomed.info/sct|29463-7')).toBe(0);
    // Lena's record also holds the demo's own vital signs; the weights are told apart by code.
    const weights = 'code=29463-7';
    expect(await count(`category=${VITALS}|vital-signs&${weights}`)).toBe(7);
    expect(await count(`category=vital-signs&status=final&${weights}`)).toBe(5);
    expect(await count(`status=amended,preliminary&${weights}`)).toBe(2);
    expect(await count('category=imaging')).toBe(0);
    expect(await count(`encounter=Encounter/${encounterId}`)).toBe(1);
    const one = (await search(jonas, `/fhir/Observation?patient=${LENA}&_count=1`)).entry![0]!
      .resource!;
    expect(await count(`_id=${one.id}`)).toBe(1);
    expect(await count(`subject=Patient/${LENA}&_id=${one.id}`)).toBe(1);
  });

  it('includes the referenced patient and encounter', async () => {
    const bundle = await search(
      jonas,
      `/fhir/Observation?patient=${LENA}&date=2024-03-05&_include=Observation:patient&_include=Observation:encounter`,
    );
    const modes = bundle.entry!.map((e) => `${e.search?.mode} ${e.resource?.resourceType}`);
    expect(modes.sort()).toEqual(['include Encounter', 'include Patient', 'match Observation']);
    const encounters = await search(
      jonas,
      `/fhir/Encounter?subject=${LENA}&_include=Encounter:subject&date=2024-03`,
    );
    expect(encounters.total).toBe(1);
    expect(encounters.entry!.map((e) => e.resource?.resourceType)).toEqual([
      'Encounter',
      'Patient',
    ]);
  });

  it('finds patients by exact name, family, birth date and identifier', async () => {
    const lena = DEMO_PATIENTS[2]!.patient;
    const family = lena.name![0]!.family!;
    const ids = async (query: string) =>
      (await search(jonas, `/fhir/Patient?${query}`)).entry!.map((e) => (e.resource as Patient).id);
    expect(await ids(`family=${family.toUpperCase()}`)).toEqual([LENA]);
    expect(await ids(`name=${lena.name![0]!.given![0]}`)).toEqual([LENA]);
    expect(await ids(`family=${family.slice(0, 3)}`)).toEqual([]); // exact match only
    expect(await ids(`birthdate=${lena.birthDate}`)).toEqual([LENA]);
    const mrn = lena.identifier![0]!;
    expect(await ids(`identifier=${mrn.system}|${mrn.value}`)).toEqual([LENA]);
  });

  it('searches by POST _search with a form body', async () => {
    const res = await fhirRequest(
      t.app,
      jonas,
      'POST',
      '/fhir/Observation/_search',
      `patient=${LENA}&date=2024-03`,
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<Bundle>().total).toBe(2);
  });

  it('refuses unknown parameters unless lenient, and values that mean nothing', async () => {
    const strict = await get(jonas, `/fhir/Observation?patient=${LENA}&colour=red`);
    expect(strict.statusCode).toBe(400);
    expect(strict.json<OperationOutcome>().issue[0]).toMatchObject({
      code: 'not-supported',
      expression: ['colour'],
    });
    const lenient = await get(jonas, `/fhir/Observation?patient=${LENA}&colour=red`, {
      prefer: 'handling=lenient',
    });
    expect(lenient.statusCode).toBe(200);
    const outcome = lenient.json<Bundle>().entry!.find((e) => e.search?.mode === 'outcome');
    expect((outcome?.resource as OperationOutcome).issue[0]).toMatchObject({
      severity: 'warning',
      expression: ['colour'],
    });
    for (const [query, where] of [
      ['date=notadate', 'date'],
      ['date=2024-02-30', 'date'],
      ['date=ne2024', 'date'],
      ['_count=-1', '_count'],
      ['_sort=code', '_sort'],
      ['patient=Practitioner/1', 'patient'],
    ]) {
      const res = await get(jonas, `/fhir/Observation?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json<OperationOutcome>().issue[0]!.expression, query).toEqual([where]);
    }
    expect((await get(jonas, `/fhir/Observation?_include=Observation:performer`)).statusCode).toBe(
      400,
    );
    expect((await get(jonas, '/fhir/Spaceship?name=x')).statusCode).toBe(404);
  });

  it('returns only what the caller may see, counts nothing else, and records what it returned', async () => {
    // Amara is on Maria's care team only: a clinic-wide search shows her Maria's data alone.
    const all = await search(amara, '/fhir/Observation?_count=100');
    const patients = new Set(all.entry!.map((e) => (e.resource as Observation).subject?.reference));
    expect([...patients]).toEqual([`Patient/${MARIA}`]);
    expect(all.total).toBe(all.entry!.length);
    // Naming Lena gets nothing, with no hint of how much there is, and the refusal is recorded.
    const named = await search(amara, `/fhir/Observation?patient=${LENA}`);
    expect(named.total).toBe(0);
    expect(named.entry).toEqual([]);
    const refused = await t.ctx.store.db
      .select()
      .from(ledger)
      .where(
        and(
          eq(ledger.patientId, LENA),
          eq(ledger.outcome, 'refused'),
          eq(ledger.action, 'readRecord'),
        ),
      );
    expect(refused.length).toBeGreaterThan(0);
    const patientsFound = await search(amara, '/fhir/Patient');
    expect(patientsFound.entry!.map((e) => e.resource!.id)).toEqual([MARIA]);
    // The front desk finds patients but no clinical content.
    const desk = await signInDemo(t.app, 'sam.');
    expect((await search(desk, '/fhir/Patient')).total).toBe(3);
    expect((await search(desk, `/fhir/Observation?patient=${LENA}`)).total).toBe(0);
    // Jonas's search of Lena is recorded against her as an allowed read.
    const allowedReadsOfLena = async () =>
      (
        await t.ctx.store.db
          .select()
          .from(ledger)
          .where(
            and(
              eq(ledger.patientId, LENA),
              eq(ledger.outcome, 'allowed'),
              eq(ledger.action, 'readRecord'),
            ),
          )
      ).length;
    const before = await allowedReadsOfLena();
    expect((await search(jonas, `/fhir/Observation?patient=${LENA}`)).total).toBeGreaterThan(0);
    expect(await allowedReadsOfLena()).toBeGreaterThan(before);
  });
});

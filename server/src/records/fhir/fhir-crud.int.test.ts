import { and, eq } from 'drizzle-orm';
import type { Bundle, Observation, OperationOutcome, Patient } from 'fhir/r4.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntryTable as ledger } from '../../audit/index.js';
import { DEMO_PATIENTS, seedDemoClinic } from '../../demo/index.js';
import { createTestApp, type TestApp } from '../../test-support/context.js';
import type { HeldSession } from '../../test-support/staff-client.js';
import { storeTargets } from '../../test-support/stores.js';
import { AUDIT_EVENT_DEF } from './audit-events.js';
import { COMMON_PARAMS, includesOf, RESOURCE_DEFS, STORED_TYPES } from './definitions.js';
import { MRN_SYSTEM } from './patient-indexes.js';
import { VIEW_DEFS, VIEW_TYPES, type ViewType } from './views.js';
import { fhirRequest, signInDemo } from '../../test-support/fhir-client.js';

const [MARIA, DANIEL] = DEMO_PATIENTS.map((p) => p.patient.id!) as [string, string, string];
const LOINC = 'http://loinc.org';

const observation = (patientId: string, extra: Partial<Observation> = {}): Observation => ({
  resourceType: 'Observation',
  status: 'final',
  code: { coding: [{ system: LOINC, code: '8867-4', display: 'Heart rate' }] },
  subject: { reference: `Patient/${patientId}` },
  effectiveDateTime: '2024-03-05T10:00:00Z',
  valueQuantity: { value: 72, unit: '/min' },
  ...extra,
});

describe.each(storeTargets())('the FHIR API stores, versions and validates on %s', (target) => {
  let t: TestApp;
  let jonas: HeldSession;
  let amara: HeldSession;
  const fhir = (
    s: HeldSession,
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    body?: object,
    headers?: Record<string, string>,
  ) => fhirRequest(t.app, s, method, url, body, headers);

  beforeAll(async () => {
    t = await createTestApp(target, { MFA_REQUIRED_ROLES: 'none' });
    await seedDemoClinic(t.ctx);
    jonas = await signInDemo(t.app, 'jonas.');
    amara = await signInDemo(t.app, 'amara.');
  });
  afterAll(() => t.close());

  it('states in its CapabilityStatement exactly the types, interactions and parameters it serves', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/fhir/metadata' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/fhir+json');
    const rest = res.json<{
      rest: {
        resource: {
          type: string;
          interaction: { code: string }[];
          searchParam: { name: string }[];
          searchInclude: string[];
        }[];
      }[];
    }>().rest[0]!;
    // Group is served only as the subject of $export (fhir-bulk-export.int.test.ts).
    expect(rest.resource.map((r) => r.type)).toEqual([
      ...STORED_TYPES,
      ...VIEW_TYPES,
      AUDIT_EVENT_DEF.type,
      'Group',
    ]);
    for (const r of rest.resource.filter(
      (r) => r.type !== AUDIT_EVENT_DEF.type && r.type !== 'Group',
    )) {
      const stored = STORED_TYPES.find((type) => type === r.type);
      const def = stored ? RESOURCE_DEFS[stored] : VIEW_DEFS[r.type as ViewType];
      expect(r.interaction.map((i) => i.code)).toEqual(def.interactions);
      const params = stored ? [...COMMON_PARAMS, ...RESOURCE_DEFS[stored].params] : def.params;
      expect(r.searchParam.map((p) => p.name)).toEqual(params.map((p) => p.name));
      expect(r.searchInclude ?? []).toEqual(stored ? includesOf(RESOURCE_DEFS[stored]) : []);
    }
    // Views and the ledger are read-only, and the router refuses writes to them accordingly.
    for (const type of [...VIEW_TYPES, AUDIT_EVENT_DEF.type]) {
      const create = await fhir(jonas, 'POST', `/fhir/${type}`, { resourceType: type });
      expect(create.statusCode, type).toBe(400);
      expect(create.json<OperationOutcome>().resourceType).toBe('OperationOutcome');
    }
  });

  it('registers patients for the desk and clinicians, once per record number, and records it', async () => {
    const mrn = `RS-NEW-${target}`;
    const patient: Patient = {
      resourceType: 'Patient',
      identifier: [{ system: MRN_SYSTEM, value: mrn }],
      name: [{ family: 'Lindqvist', given: ['Ingrid'] }],
      birthDate: '1979-06-02',
      gender: 'female',
    };
    const desk = await signInDemo(t.app, 'sam.');
    const created = await fhir(desk, 'POST', '/fhir/Patient', patient);
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<Patient>().id!;
    expect(created.headers.location).toMatch(new RegExp(`/fhir/Patient/${id}/_history/1$`));
    // Stored with its blind indexes like every patient: found by record number and exact name.
    for (const query of [
      `identifier=${MRN_SYSTEM}|${mrn}`,
      'name=ingrid',
      'birthdate=1979-06-02',
    ]) {
      const found = await fhir(desk, 'GET', `/fhir/Patient?${query}`);
      expect(
        found.json<Bundle>().entry?.map((e) => e.resource!.id),
        query,
      ).toEqual([id]);
    }
    const [entry] = await t.ctx.store.db
      .select()
      .from(ledger)
      .where(and(eq(ledger.patientId, id), eq(ledger.action, 'registerPatient')));
    expect(entry).toMatchObject({ outcome: 'allowed', actorRole: 'front_desk' });

    // Conditional on the record number: the existing patient; unconditional: a conflict.
    const header = { 'if-none-exist': `identifier=${MRN_SYSTEM}|${mrn}` };
    const again = await fhir(desk, 'POST', '/fhir/Patient', patient, header);
    expect(again.statusCode).toBe(200);
    expect(again.json<Patient>().id).toBe(id);
    expect((await fhir(desk, 'POST', '/fhir/Patient', patient)).statusCode).toBe(409);

    const byClinician = await fhir(jonas, 'POST', '/fhir/Patient', {
      ...patient,
      identifier: [{ system: MRN_SYSTEM, value: `${mrn}-2` }],
    });
    expect(byClinician.statusCode).toBe(201);
    // The security officer finds patients but does not register them: refused and recorded.
    const officer = await signInDemo(t.app, 'priya.');
    const refused = await fhir(officer, 'POST', '/fhir/Patient', {
      ...patient,
      identifier: [{ system: MRN_SYSTEM, value: `${mrn}-3` }],
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json<OperationOutcome>().resourceType).toBe('OperationOutcome');
    const refusals = await t.ctx.store.db
      .select()
      .from(ledger)
      .where(and(eq(ledger.action, 'registerPatient'), eq(ledger.outcome, 'refused')));
    expect(refusals.map((r) => r.actorRole)).toEqual(['security_officer']);
    const invalid = await fhir(desk, 'POST', '/fhir/Patient', { ...patient, gender: 'x' });
    expect(invalid.statusCode).toBe(400);
  });

  it('creates, reads, updates with If-Match, keeps history and reads old versions', async () => {
    const created = await fhir(jonas, 'POST', '/fhir/Observation', observation(DANIEL));
    expect(created.statusCode).toBe(201);
    const body = created.json<Observation>();
    expect(body.meta?.versionId).toBe('1');
    expect(created.headers.etag).toBe('W/"1"');
    expect(created.headers.location).toMatch(
      new RegExp(`/fhir/Observation/${body.id}/_history/1$`),
    );

    const read = await fhir(jonas, 'GET', `/fhir/Observation/${body.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json<Observation>().valueQuantity?.value).toBe(72);

    const changed = { ...read.json<Observation>(), valueQuantity: { value: 80, unit: '/min' } };
    const updated = await fhir(jonas, 'PUT', `/fhir/Observation/${body.id}`, changed, {
      'if-match': 'W/"1"',
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.headers.etag).toBe('W/"2"');
    const stale = await fhir(jonas, 'PUT', `/fhir/Observation/${body.id}`, changed, {
      'if-match': 'W/"1"',
    });
    expect(stale.statusCode).toBe(412);
    expect(stale.json<OperationOutcome>().resourceType).toBe('OperationOutcome');
    // Without If-Match an update simply makes the next version.
    expect((await fhir(jonas, 'PUT', `/fhir/Observation/${body.id}`, changed)).headers.etag).toBe(
      'W/"3"',
    );

    const history = await fhir(jonas, 'GET', `/fhir/Observation/${body.id}/_history`);
    expect(history.statusCode).toBe(200);
    const versions = history.json<Bundle>().entry!.map((e) => e.resource as Observation);
    expect(versions.map((v) => v.meta?.versionId)).toEqual(['3', '2', '1']);
    const first = await fhir(jonas, 'GET', `/fhir/Observation/${body.id}/_history/1`);
    expect(first.json<Observation>().valueQuantity?.value).toBe(72);
    expect((await fhir(jonas, 'GET', `/fhir/Observation/${body.id}/_history/9`)).statusCode).toBe(
      404,
    );

    // Each write and read is in the ledger under the patient.
    const entries = await t.ctx.store.db
      .select()
      .from(ledger)
      .where(and(eq(ledger.patientId, DANIEL), eq(ledger.action, 'writeRecord')));
    expect(entries.filter((e) => e.outcome === 'allowed').length).toBeGreaterThanOrEqual(3);
  });

  it('creates conditionally on an identifier: once, then the existing one, 412 when ambiguous', async () => {
    const withId = observation(DANIEL, { identifier: [{ system: 'urn:test:obs', value: 'A-1' }] });
    const header = { 'if-none-exist': 'identifier=urn:test:obs|A-1' };
    const first = await fhir(jonas, 'POST', '/fhir/Observation', withId, header);
    expect(first.statusCode).toBe(201);
    const second = await fhir(jonas, 'POST', '/fhir/Observation', withId, header);
    expect(second.statusCode).toBe(200);
    expect(second.json<Observation>().id).toBe(first.json<Observation>().id);
    expect((await fhir(jonas, 'POST', '/fhir/Observation', withId)).statusCode).toBe(201);
    const third = await fhir(jonas, 'POST', '/fhir/Observation', withId, header);
    expect(third.statusCode).toBe(412);
    expect(third.json<OperationOutcome>().issue[0]!.code).toBe('conflict');
  });

  it('refuses invalid resources with an OperationOutcome that locates each problem', async () => {
    const cases: [string, object, string][] = [
      ['Observation', { ...observation(DANIEL), status: 'bogus' }, 'Observation.status'],
      ['Observation', { ...observation(DANIEL), colour: 'red' }, 'Observation.colour'],
      ['Observation', { ...observation(DANIEL), subject: undefined }, 'Observation.subject'],
      [
        'Observation',
        { ...observation(DANIEL), effectiveDateTime: '5 March' },
        'Observation.effectiveDateTime',
      ],
      [
        'Observation',
        { ...observation(DANIEL), code: { coding: [{ system: 7 }] } },
        'Observation.code.coding[0].system',
      ],
      [
        'Condition',
        {
          resourceType: 'Condition',
          subject: { reference: `Patient/${DANIEL}` },
          clinicalStatus: {
            coding: [
              { system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'cured' },
            ],
          },
        },
        'Condition.clinicalStatus.coding[0].code',
      ],
      [
        'Encounter',
        {
          resourceType: 'Encounter',
          status: 'finished',
          subject: { reference: `Patient/${DANIEL}` },
        },
        'Encounter.class',
      ],
    ];
    for (const [type, resource, expression] of cases) {
      const res = await fhir(jonas, 'POST', `/fhir/${type}`, resource);
      expect(res.statusCode, expression).toBe(400);
      const outcome = res.json<OperationOutcome>();
      expect(outcome.resourceType).toBe('OperationOutcome');
      expect(
        outcome.issue.flatMap((i) => i.expression ?? []),
        expression,
      ).toContain(expression);
    }
    const unknownType = await fhir(jonas, 'GET', '/fhir/Spaceship/1');
    expect(unknownType.statusCode).toBe(404);
    expect(unknownType.json<OperationOutcome>().issue[0]!.code).toBe('not-supported');
  });

  it('writes and reads only where the policy allows, and records refusals', async () => {
    const created = await fhir(jonas, 'POST', '/fhir/Observation', observation(DANIEL));
    const id = created.json<Observation>().id!;
    // Amara is not on Daniel's care team: his data does not exist for her.
    expect((await fhir(amara, 'GET', `/fhir/Observation/${id}`)).statusCode).toBe(404);
    expect((await fhir(amara, 'POST', '/fhir/Observation', observation(DANIEL))).statusCode).toBe(
      404,
    );
    // A patient that does not exist looks the same as one she may not reach.
    const missing = observation('00000000-0000-4000-9000-0000000000ff');
    expect((await fhir(amara, 'POST', '/fhir/Observation', missing)).statusCode).toBe(404);
    expect((await fhir(amara, 'POST', '/fhir/Observation', observation(MARIA))).statusCode).toBe(
      201,
    );
    const refusals = await t.ctx.store.db
      .select()
      .from(ledger)
      .where(and(eq(ledger.patientId, DANIEL), eq(ledger.outcome, 'refused')));
    expect(refusals.map((r) => r.action)).toEqual(
      expect.arrayContaining(['readRecord', 'writeRecord']),
    );
    const anonymous = await t.app.inject({ method: 'GET', url: `/fhir/Observation/${id}` });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json<OperationOutcome>().issue[0]!.code).toBe('login');
  });
});

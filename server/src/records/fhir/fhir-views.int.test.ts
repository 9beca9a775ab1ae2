import type { Bundle, Consent, OperationOutcome, Practitioner } from 'fhir/r4.js';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntryTable as ledger } from '../../audit/index.js';
import { DEMO_PATIENTS, DEMO_STAFF, seedDemoClinic } from '../../demo/index.js';
import { createTestApp, type TestApp } from '../../test-support/context.js';
import type { HeldSession } from '../../test-support/staff-client.js';
import { storeTargets } from '../../test-support/stores.js';
import { fhirRequest, signInDemo } from '../../test-support/fhir-client.js';

const withConsent = DEMO_PATIENTS.find((p) => p.consent.length > 0)!;
const JONAS = DEMO_STAFF.find((s) => s.email.startsWith('jonas.'))!;

describe.each(storeTargets())('read-only FHIR views of staff and consent on %s', (target) => {
  let t: TestApp;
  let jonas: HeldSession;
  const get = (s: HeldSession, url: string) => fhirRequest(t.app, s, 'GET', url);

  beforeAll(async () => {
    t = await createTestApp(target, { MFA_REQUIRED_ROLES: 'none' });
    await seedDemoClinic(t.ctx);
    jonas = await signInDemo(t.app, 'jonas.');
  });
  afterAll(() => t.close());

  it('shows staff as Practitioners, by id and by a word of their name', async () => {
    const read = await get(jonas, `/fhir/Practitioner/${JONAS.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json<Practitioner>().name?.[0]?.text).toBe(JONAS.displayName);
    const family = JONAS.displayName.split(' ').at(-1)!.toLowerCase();
    const found = await get(jonas, `/fhir/Practitioner?name=${family}`);
    expect(found.json<Bundle>().entry!.map((e) => e.resource!.id)).toEqual([JONAS.id]);
    expect((await get(jonas, '/fhir/Practitioner')).json<Bundle>().total).toBe(DEMO_STAFF.length);
    expect((await get(jonas, '/fhir/Practitioner/nobody')).statusCode).toBe(404);
    // Views have no versions: history is refused as an interaction this server does not offer.
    expect((await get(jonas, '/fhir/Practitioner/x/_history')).statusCode).toBe(400);
    const unknown = await get(jonas, '/fhir/Practitioner?specialty=x');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<OperationOutcome>().issue[0]!.code).toBe('not-supported');
  });

  it("lists a patient's consent directives to those who manage them, and nothing to others", async () => {
    const careTeamMember = DEMO_STAFF.find((s) => s.id === withConsent.careTeam[0])!;
    const carer = await signInDemo(t.app, careTeamMember.email.split('@')[0]!);
    const res = await get(carer, `/fhir/Consent?patient=Patient/${withConsent.patient.id}`);
    expect(res.statusCode, res.body).toBe(200);
    const consents = res.json<Bundle>().entry!.map((e) => e.resource as Consent);
    expect(consents).toHaveLength(withConsent.consent.length);
    expect(consents.every((c) => c.provision?.type === 'deny' && c.status === 'active')).toBe(true);
    const desk = await signInDemo(t.app, 'sam.');
    const refused = await get(desk, `/fhir/Consent?patient=${withConsent.patient.id}`);
    expect(refused.json<Bundle>().total).toBe(0);
    expect((await get(carer, '/fhir/Consent')).statusCode).toBe(400);

    // Read by id: the same Consent for those who manage it, and for others none at all.
    const read = await get(carer, `/fhir/Consent/${consents[0]!.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json<Consent>()).toEqual(consents[0]);
    expect((await get(desk, `/fhir/Consent/${consents[0]!.id}`)).statusCode).toBe(404);
    expect((await get(carer, `/fhir/Consent/${crypto.randomUUID()}`)).statusCode).toBe(404);
    expect((await get(carer, '/fhir/Consent/not-an-id')).statusCode).toBe(404);
    const decisions = await t.ctx.store.db
      .select()
      .from(ledger)
      .where(
        and(eq(ledger.patientId, withConsent.patient.id!), eq(ledger.action, 'manageConsent')),
      );
    expect(decisions.map((d) => d.outcome)).toEqual(expect.arrayContaining(['allowed', 'refused']));
  });
});

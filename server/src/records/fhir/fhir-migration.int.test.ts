import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test-support/context.js';
import { storeTargets } from '../../test-support/stores.js';
import { clinicalResource, fhirResourceVersion, patient } from '../schema.js';
import { indexEarlierRecords } from './store.js';
import { matchingCandidates } from './search-query.js';
import { parseSearch } from './search-params.js';

const PATIENT = '00000000-0000-4000-9000-0000000000a1';
const OBSERVATION = '00000000-0000-4000-9000-0000000000a2';

describe.each(storeTargets())('records written before the FHIR API on %s', (target) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(target);
  });
  afterAll(() => t.close());

  it('get their first version, search index and dates at start, once', async () => {
    const { db } = t.ctx.store;
    // Rows as the record model wrote them: encrypted, no version kept, nothing indexed.
    await db.insert(patient).values({
      id: PATIENT,
      resource: t.ctx.fields.encryptJson(
        { resourceType: 'Patient', id: PATIENT, name: [{ family: 'Vogel' }] },
        `patient.resource:${PATIENT}`,
      ),
    });
    await db.insert(clinicalResource).values({
      id: OBSERVATION,
      patientId: PATIENT,
      resourceType: 'Observation',
      resource: t.ctx.fields.encryptJson(
        {
          resourceType: 'Observation',
          id: OBSERVATION,
          status: 'final',
          code: { coding: [{ system: 'http://loinc.org', code: '8310-5' }] },
          subject: { reference: `Patient/${PATIENT}` },
          effectiveDateTime: '2022-07-01',
        },
        `clinical_resource.resource:${OBSERVATION}`,
      ),
    });
    expect(await indexEarlierRecords(db, t.ctx.fields)).toBe(2);
    expect(await indexEarlierRecords(db, t.ctx.fields)).toBe(0);

    const versions = await db
      .select()
      .from(fhirResourceVersion)
      .where(eq(fhirResourceVersion.id, OBSERVATION));
    expect(versions.map((v) => v.versionId)).toEqual([1]);
    const found = await matchingCandidates(
      db,
      t.ctx.fields,
      parseSearch(
        'Observation',
        [
          ['code', '8310-5'],
          ['date', '2022-07'],
        ],
        false,
      ),
    );
    expect(found.map((c) => c.id)).toEqual([OBSERVATION]);
    const byName = await matchingCandidates(
      db,
      t.ctx.fields,
      parseSearch('Patient', [['family', 'vogel']], false),
    );
    expect(byName.map((c) => c.id)).toEqual([PATIENT]);
  });
});

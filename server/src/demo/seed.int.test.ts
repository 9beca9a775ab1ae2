import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { getClinicInfo } from '../clinic/index.js';
import { createStaffUser, listStaffUsers } from '../identity/index.js';
import { queryRows } from '../platform/db/index.js';
import { findPatientByMrn, listClinicalResources } from '../records/index.js';
import { createTestContext, type TestContext } from '../test-support/context.js';
import { storeTargets } from '../test-support/stores.js';
import { DEMO_STAFF, seedDemoClinic } from './index.js';

describe.each(storeTargets())('demo clinic on %s', (target) => {
  let tc: TestContext | undefined;
  afterEach(() => tc?.close());

  it('is seeded once: a second run finds it present and adds nothing', async () => {
    tc = await createTestContext(target);
    expect(await seedDemoClinic(tc.ctx)).toBe('seeded');
    expect(await seedDemoClinic(tc.ctx)).toBe('already-present');
    const staff = await listStaffUsers(tc.ctx.store.db);
    expect(staff.map((s) => s.role).sort()).toEqual([
      'admin',
      'clinician',
      'clinician',
      'front_desk',
      'nurse',
      'researcher',
      'security_officer',
    ]);
    const [patients] = await queryRows<{ n: number }>(
      tc.ctx.store.db,
      sql`select count(*)::int as n from patient`,
    );
    expect(patients?.n).toBe(3);
    const [relations] = await queryRows<{ team: number; consent: number }>(
      tc.ctx.store.db,
      sql`select (select count(*)::int from care_team_member) as team,
                 (select count(*)::int from consent_directive) as consent`,
    );
    expect(relations).toEqual({ team: 5, consent: 2 });
    expect((await getClinicInfo(tc.ctx.store.db))?.name).toBe('Riverside Family Practice');
  });

  it('leaves nothing behind when it fails part-way, and succeeds on the next start', async () => {
    tc = await createTestContext(target);
    const clash = DEMO_STAFF[3];
    if (!clash) throw new Error('demo staff missing');
    // A user that already exists makes the seed fail after it has written several rows.
    const existing = await createStaffUser(tc.ctx.store.db, clash);
    await expect(seedDemoClinic(tc.ctx)).rejects.toThrow();
    expect(await listStaffUsers(tc.ctx.store.db)).toHaveLength(1);
    const [patients] = await queryRows<{ n: number }>(
      tc.ctx.store.db,
      sql`select count(*)::int as n from patient`,
    );
    expect(patients?.n).toBe(0);
    expect((await getClinicInfo(tc.ctx.store.db))?.name).toBe('SafeConsult');

    await tc.ctx.store.db.execute(sql`delete from staff_user where id = ${existing.id}`);
    expect(await seedDemoClinic(tc.ctx)).toBe('seeded');
    expect(await listStaffUsers(tc.ctx.store.db)).toHaveLength(DEMO_STAFF.length);
  });

  it('finds a patient by identifier through its blind index and reads the records back', async () => {
    tc = await createTestContext(target);
    await seedDemoClinic(tc.ctx);
    const maria = await findPatientByMrn(tc.ctx.store.db, tc.ctx.fields, 'RFP-100231');
    expect(maria?.name?.[0]?.family).toBe('Schneider');
    expect(await findPatientByMrn(tc.ctx.store.db, tc.ctx.fields, 'RFP-999999')).toBeUndefined();
    const pressures = await listClinicalResources(
      tc.ctx.store.db,
      tc.ctx.fields,
      maria?.id ?? '',
      'Observation',
    );
    expect(pressures.length).toBeGreaterThanOrEqual(5);
    expect(
      pressures.every(
        (o) => o.resourceType === 'Observation' && o.subject.reference === `Patient/${maria?.id}`,
      ),
    ).toBe(true);
  });
});

import type { AppContext } from '../context.js';
import { updateClinic } from '../clinic/index.js';
import { createStaffUser, setStaffPassword } from '../identity/index.js';
import { addClinicalResource, createPatient } from '../records/index.js';
import { DEMO_CLINIC, DEMO_PATIENTS, DEMO_STAFF, DEMO_STAFF_PASSWORD } from './demo-clinic.js';
import { demoSeed } from './schema.js';

export type SeedOutcome = 'seeded' | 'already-present';

const DAY_MS = 86_400_000;

/**
 * Seeds the demo clinic once. Everything, including the marker that says it happened, is written in
 * one transaction: a crash part-way leaves nothing behind, and the next start seeds again. A second
 * node starting at the same moment waits on the marker row and then finds it present.
 */
export async function seedDemoClinic(ctx: AppContext): Promise<SeedOutcome> {
  const now = ctx.now().getTime();
  const daysAgo = (days: number) => new Date(now - days * DAY_MS).toISOString();
  return ctx.store.db.transaction(async (tx) => {
    const claimed = await tx.insert(demoSeed).values({ id: 1 }).onConflictDoNothing().returning();
    if (claimed.length === 0) return 'already-present';
    await updateClinic(tx, DEMO_CLINIC);
    for (const user of DEMO_STAFF) {
      const { id } = await createStaffUser(tx, user);
      await setStaffPassword(tx, id, DEMO_STAFF_PASSWORD, ctx.now());
    }
    for (const demo of DEMO_PATIENTS) {
      const id = await createPatient(tx, ctx.fields, demo.patient);
      for (const resource of demo.records(`Patient/${id}`, daysAgo)) {
        await addClinicalResource(tx, ctx.fields, id, resource);
      }
    }
    return 'seeded';
  });
}

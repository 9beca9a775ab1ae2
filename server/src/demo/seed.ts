import type { AppContext } from '../context.js';
import { updateClinic } from '../clinic/index.js';
import { createStaffUser, setStaffPassword } from '../identity/index.js';
import { bookAppointment } from '../consults/index.js';
import { addClinicalResource, createPatient } from '../records/index.js';
import { addConsentDirective, addToCareTeam } from '../access/index.js';
import { DEMO_CLINIC, DEMO_PATIENTS, DEMO_STAFF, DEMO_STAFF_PASSWORD } from './demo-clinic.js';
import { demoSeed } from './schema.js';

export type SeedOutcome = 'seeded' | 'already-present';

const DAY_MS = 86_400_000;
const QUARTER_HOUR_MS = 15 * 60_000;

function demoStaff(role: string) {
  const found = DEMO_STAFF.find((s) => s.role === role);
  if (!found) throw new Error(`the demo clinic has no ${role}`);
  return found;
}

/**
 * A consult two hours after the first start, on a quarter hour, so that the patient's invitation
 * can be tried from the admin's outbox: Maria Schneider with Dr. Amara Okafor.
 */
function demoConsult(now: number) {
  const [patient] = DEMO_PATIENTS;
  const clinician = DEMO_STAFF.find((s) => s.email.startsWith('amara.'));
  if (!patient?.patient.id || !clinician) throw new Error('the demo consult lost its people');
  return {
    patientId: patient.patient.id,
    clinicianId: clinician.id,
    startsAt: new Date(Math.ceil((now + 2 * 3_600_000) / QUARTER_HOUR_MS) * QUARTER_HOUR_MS),
    durationMinutes: 30,
  };
}

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
      for (const userId of demo.careTeam) {
        await addToCareTeam(tx, { patientId: id, userId, addedBy: null }, ctx.now());
      }
      for (const directive of demo.consent) {
        await addConsentDirective(tx, { patientId: id, recordedBy: null, directive }, ctx.now());
      }
    }
    await bookAppointment(ctx, demoConsult(now), demoStaff('front_desk').id, tx);
    return 'seeded';
  });
}

import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { createStaffUser, setStaffPassword } from '../identity/index.js';
import { listMessages } from '../outbox/index.js';
import { createPatient, MRN_SYSTEM } from '../records/index.js';
import { asSession, cookieOf, heldSession, type HeldSession } from './staff-client.js';

const PASSWORD = 'lantern orchard tuesday mosaic';
export const FIXTURE_BIRTH_DATE = '1968-04-12';

let people = 0;
let household = 0;

/**
 * People and consults for consult-room tests: a signed-in clinician, a patient, booked consults
 * and the sessions their links are exchanged for. Second factors must be off in the config.
 */
export async function consultFixture(app: FastifyInstance, ctx: AppContext) {
  const now = new Date();

  async function staff(role: 'clinician' | 'nurse' | 'front_desk', name: string) {
    const email = `${name.toLowerCase()}.${++people}@clinic.example`;
    const user = await createStaffUser(ctx.store.db, { email, displayName: name, role });
    await setStaffPassword(ctx.store.db, user.id, PASSWORD, now);
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email, password: PASSWORD },
    });
    return { id: user.id, session: heldSession(res) };
  }

  const clinician = await staff('clinician', 'Okafor');
  const patientEmail = `patient.${++people}@mail.example`;
  const mrn = `FX-${people}-${now.getTime()}`;
  const patientId = await createPatient(ctx.store.db, ctx.fields, {
    resourceType: 'Patient',
    identifier: [{ system: MRN_SYSTEM, value: mrn }],
    name: [{ family: 'Schneider', given: ['Maria'] }],
    birthDate: FIXTURE_BIRTH_DATE,
    telecom: [{ system: 'email', value: patientEmail }],
  });

  /** The newest link the outbox holds for a recipient. */
  async function linkFor(recipient: string): Promise<string> {
    const messages = await listMessages(ctx.store.db, ctx.fields, 50);
    const message = messages.find((m) => m.recipient === recipient);
    const token = /\/join#token=([\w-]+)/.exec(message?.body ?? '')?.[1];
    if (!token) throw new Error(`no join link for ${recipient}`);
    return token;
  }

  /** Exchanges a link for a participant session; its cookie. */
  async function join(token: string, birthDate?: string): Promise<string> {
    const res = await app.inject({
      method: 'POST',
      url: '/api/join',
      payload: { token, ...(birthDate ? { birthDate } : {}) },
      // Join routes are limited per address; each join comes from another household.
      remoteAddress: `198.51.100.${(++household % 250) + 1}`,
    });
    if (res.statusCode !== 200) throw new Error(`join failed: ${res.body}`);
    return cookieOf(res);
  }

  return {
    clinician,
    patientId,
    /** The patient's medical record number. */
    mrn,
    staff,
    linkFor,
    join,
    /** Books a consult with the clinician starting soon; the patient has joined it by link. */
    async consult(by: HeldSession = clinician.session) {
      const res = await asSession(app, by, 'POST', '/api/appointments', {
        patientId,
        clinicianId: clinician.id,
        startsAt: new Date(Date.now() + 5 * 60_000).toISOString(),
        durationMinutes: 30,
      });
      if (res.statusCode !== 201) throw new Error(`booking failed: ${res.body}`);
      const appointmentId = res.json<{ id: string }>().id;
      const patientCookie = await join(await linkFor(patientEmail), FIXTURE_BIRTH_DATE);
      return { appointmentId, patientCookie };
    },
    /** A participant's hold on their session: the cookie and its anti-forgery token. */
    async participantSession(cookie: string): Promise<HeldSession> {
      const res = await app.inject({
        method: 'GET',
        url: '/api/join/session',
        headers: { cookie },
      });
      const session = res.json<{ session: { csrfToken: string } | null }>().session;
      if (!session) throw new Error('the participant session has ended');
      return { cookie, csrf: session.csrfToken };
    },
    /** Invites a companion to a consult; their link's token (not yet used). */
    async companionLink(appointmentId: string, name: string) {
      const email = `companion.${++people}@mail.example`;
      await asSession(
        app,
        clinician.session,
        'POST',
        `/api/appointments/${appointmentId}/companions`,
        {
          name,
          relationship: 'interpreter',
          email,
        },
      );
      return linkFor(email);
    },
  };
}

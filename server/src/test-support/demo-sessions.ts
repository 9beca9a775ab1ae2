import type { FastifyInstance } from 'fastify';
import { DEMO_STAFF, DEMO_STAFF_PASSWORD } from '../demo/index.js';
import { asSession, heldSession, type HeldSession } from './staff-client.js';

/** A demo staff member by the start of their e-mail address (`jonas.`). */
export function demoStaff(prefix: string) {
  const found = DEMO_STAFF.find((s) => s.email.startsWith(prefix));
  if (!found) throw new Error(`the demo clinic has no ${prefix}`);
  return found;
}

/**
 * Signs a demo staff member in with the password (second factors off in the test's config). A
 * fresh sign-in also counts as recent authentication for sensitive actions.
 */
export async function signInDemo(app: FastifyInstance, prefix: string): Promise<HeldSession> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/sign-in',
    payload: { email: demoStaff(prefix).email, password: DEMO_STAFF_PASSWORD },
  });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${prefix} failed: ${res.statusCode}`);
  return heldSession(res);
}

/** Signs `who` in and reads the given sections of patients' records; the status codes, in order. */
export async function readSections(
  app: FastifyInstance,
  who: string,
  asked: readonly [patientId: string, section: string][],
): Promise<number[]> {
  const session = await signInDemo(app, who);
  const codes: number[] = [];
  for (const [patientId, section] of asked) {
    const res = await asSession(
      app,
      session,
      'GET',
      `/api/patients/${patientId}/sections/${section}`,
    );
    codes.push(res.statusCode);
  }
  return codes;
}

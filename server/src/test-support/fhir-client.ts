import type { FastifyInstance } from 'fastify';
import type { Bundle, OperationOutcome, Resource } from 'fhir/r4.js';
import { DEMO_STAFF, DEMO_STAFF_PASSWORD } from '../demo/index.js';
import { heldSession, type HeldSession } from './staff-client.js';

/** Signs a demo member of staff in by the start of their e-mail address. */
export async function signInDemo(app: FastifyInstance, prefix: string): Promise<HeldSession> {
  const email = DEMO_STAFF.find((s) => s.email.startsWith(prefix))!.email;
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/sign-in',
    payload: { email, password: DEMO_STAFF_PASSWORD },
  });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.body}`);
  return heldSession(res);
}

/** A FHIR request in a staff session, JSON in `application/fhir+json`. */
export function fhirRequest(
  app: FastifyInstance,
  s: HeldSession,
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  body?: object | string,
  headers: Record<string, string> = {},
) {
  return app.inject({
    method,
    url,
    headers: {
      cookie: s.cookie,
      ...(method === 'GET' ? {} : { 'x-csrf-token': s.csrf }),
      ...(body === undefined
        ? {}
        : {
            'content-type':
              typeof body === 'string'
                ? 'application/x-www-form-urlencoded'
                : 'application/fhir+json',
          }),
      ...headers,
    },
    ...(body === undefined
      ? {}
      : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

export type { Bundle, OperationOutcome, Resource };

import type { FastifyInstance } from 'fastify';
import type { Bundle, OperationOutcome, Resource } from 'fhir/r4.js';
import type { HeldSession } from './staff-client.js';

export { signInDemo } from './demo-sessions.js';

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

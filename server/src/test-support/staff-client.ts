import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/** The session cookie a response set, as a `cookie` request header value. */
export function cookieOf(res: LightMyRequestResponse): string {
  const header = res.headers['set-cookie'];
  const first = Array.isArray(header) ? header[0] : header;
  if (!first) throw new Error('no cookie set');
  return first.split(';', 1)[0] ?? '';
}

/** A browser's hold on a session: its cookie and the anti-forgery token writes must echo. */
export interface HeldSession {
  cookie: string;
  csrf: string;
}

export function heldSession(res: LightMyRequestResponse): HeldSession {
  return { cookie: cookieOf(res), csrf: res.json<{ csrfToken: string }>().csrfToken };
}

/** A request made inside a session, with the anti-forgery header on writes. */
export function asSession(
  app: FastifyInstance,
  s: HeldSession,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  payload?: object,
) {
  return app.inject({
    method,
    url,
    headers: { cookie: s.cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': s.csrf }) },
    ...(payload ? { payload } : {}),
  });
}

import { eq } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { staffSession } from '../identity/schema.js';
import { sessionIdOf } from '../identity/sessions/session-store.js';
import type { Queryable } from '../platform/db/index.js';

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

/** How the session behind a `cookie` header value says its user proved who they are. */
export async function verificationOf(db: Queryable, cookie: string): Promise<string | undefined> {
  const token = cookie.slice(cookie.indexOf('=') + 1);
  const [row] = await db
    .select({ verifiedBy: staffSession.verifiedBy })
    .from(staffSession)
    .where(eq(staffSession.id, sessionIdOf(token)));
  return row?.verifiedBy;
}

import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMessages } from '../outbox/index.js';
import { createTestApp, type TestApp } from '../test-support/context.js';
import { storeTargets } from '../test-support/stores.js';
import { inviteStaff } from './account-links.js';
import { lookUpBreaches } from './password/breached-passwords.js';
import { createStaffUser } from './service.js';

/** Acceptable to the offline policy; the stand-in range API below knows it as breached. */
const BREACHED = 'violet tractor sunrise ledger';
/** Acceptable too; the range API lists its suffix only as padding. */
const CLEAN = 'pebble meadow quartz violin';

/** Written out here rather than taken from the code under test. */
const sha1 = (text: string) => createHash('sha1').update(text).digest('hex').toUpperCase();

/**
 * Stands in for api.pwnedpasswords.com: `GET /range/{prefix}` answers the suffixes it knows for
 * the prefix, with padding lines (count 0) as `Add-Padding: true` asks.
 */
class RangeApi {
  readonly requests: { url: string; headers: IncomingHttpHeaders }[] = [];
  /** Requests are held unanswered, as by a service that hangs. */
  hang = false;
  private server: Server | undefined;
  port = 0;

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      this.requests.push({ url: req.url ?? '', headers: req.headers });
      if (this.hang) return;
      const prefix = /^\/range\/([0-9A-F]{5})$/.exec(req.url ?? '')?.[1];
      if (!prefix) {
        res.writeHead(404).end();
        return;
      }
      const lines = [`${sha1(CLEAN).slice(5)}:0`, '0018A45C4D1DEF81644B54AB7F969B88D65:0'];
      if (sha1(BREACHED).startsWith(prefix)) lines.push(`${sha1(BREACHED).slice(5)}:42`);
      res.writeHead(200, { 'content-type': 'text/plain' }).end(lines.join('\r\n'));
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    server?.closeAllConnections();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe.each(storeTargets())('the breached-password check on %s', (target) => {
  const api = new RangeApi();
  let t: TestApp;
  let adminId: string;
  let n = 0;

  beforeAll(async () => {
    await api.start();
    t = await createTestApp(target, {
      MFA_REQUIRED_ROLES: 'none',
      HIBP_CHECK: 'true',
      HIBP_API_URL: `http://127.0.0.1:${api.port}/`,
    });
    const admin = await createStaffUser(t.ctx.store.db, {
      email: 'admin@clinic.example',
      displayName: 'Ada Admin',
      role: 'admin',
    });
    adminId = admin.id;
  });
  afterAll(async () => {
    await t.close();
    await api.stop();
  });

  /** A fresh invitation's link token. */
  async function invitationToken(): Promise<string> {
    const email = `staff${++n}@clinic.example`;
    await inviteStaff(t.ctx, adminId, { email, displayName: 'Nina Nurse', role: 'nurse' });
    const message = (await listMessages(t.ctx.store.db, t.ctx.fields, 50)).find(
      (m) => m.recipient === email,
    );
    const token = /#token=([\w-]+)/.exec(message?.body ?? '')?.[1];
    if (!token) throw new Error('no invitation link');
    return token;
  }

  const post = (url: string, payload: object) => t.app.inject({ method: 'POST', url, payload });

  it('refuses a breached password, having sent only the 5-character hash prefix', async () => {
    const token = await invitationToken();
    api.requests.length = 0;
    const check = await post('/api/auth/links/password-check', {
      token,
      purpose: 'invitation',
      password: BREACHED,
    });
    expect(check.json()).toEqual({
      acceptable: false,
      problems: [{ code: 'breached' }],
      strength: 0,
    });

    const set = await post('/api/auth/links/set-password', {
      token,
      purpose: 'invitation',
      password: BREACHED,
    });
    expect(set.statusCode).toBe(422);
    expect(set.json()).toMatchObject({
      code: 'password_rejected',
      errors: [{ path: 'body.password', message: 'breached' }],
    });

    const hash = sha1(BREACHED);
    expect(api.requests.map((r) => r.url)).toEqual([
      `/range/${hash.slice(0, 5)}`,
      `/range/${hash.slice(0, 5)}`,
    ]);
    for (const { headers } of api.requests) {
      expect(headers['add-padding']).toBe('true');
      expect(JSON.stringify(headers)).not.toContain(hash.slice(5));
    }
  });

  it('accepts a password the service lists only as padding', async () => {
    const set = await post('/api/auth/links/set-password', {
      token: await invitationToken(),
      purpose: 'invitation',
      password: CLEAN,
    });
    expect(set.statusCode).toBe(200);
  });

  it('asks nothing about a password the offline policy already refuses', async () => {
    const token = await invitationToken();
    api.requests.length = 0;
    const check = await post('/api/auth/links/password-check', {
      token,
      purpose: 'invitation',
      password: 'too short',
    });
    expect(check.json<{ acceptable: boolean }>().acceptable).toBe(false);
    expect(api.requests).toEqual([]);
  });

  it('gives up on a service that does not answer in time', async () => {
    api.hang = true;
    try {
      expect(await lookUpBreaches(BREACHED, `http://127.0.0.1:${api.port}`, 200)).toEqual({
        kind: 'unavailable',
        why: 'timeout',
      });
    } finally {
      api.hang = false;
    }
  });

  it('accepts the password when the service is unreachable, and logs that without the password', async () => {
    const token = await invitationToken();
    await api.stop();
    const set = await post('/api/auth/links/set-password', {
      token,
      purpose: 'invitation',
      password: BREACHED,
    });
    expect(set.statusCode).toBe(200);
    const warning = t.logs.lines.find((l) => l.includes('breached-password check unavailable'));
    expect(warning).toContain('"why":"ECONNREFUSED"');
    for (const material of [BREACHED, sha1(BREACHED).slice(0, 5), sha1(BREACHED).slice(5)]) {
      expect(t.logs.text).not.toContain(material);
    }
  });
});

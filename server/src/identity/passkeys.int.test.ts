import { desc } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SecurityPolicy } from '@safeconsult/protocol';
import { createTestApp, type TestApp } from '../test-support/context.js';
import { SoftAuthenticator } from '../test-support/soft-authenticator.js';
import {
  asSession,
  cookieOf,
  verificationOf,
  heldSession,
  type HeldSession,
} from '../test-support/staff-client.js';
import { storeTargets } from '../test-support/stores.js';
import { authenticatorCode } from '../test-support/totp.js';
import { securityPolicyVersion, signInThrottle } from './schema.js';
import { createStaffUser, setStaffPassword } from './service.js';

const PASSWORD = 'lantern orchard tuesday mosaic';
const PORT = 3000;
const ORIGIN = `http://localhost:${PORT}`;

interface Ceremony {
  challengeId: string;
  options: { challenge: string; user: { id: string }; allowCredentials?: { id: string }[] };
}

describe.each(storeTargets())('passkeys and the per-role second-factor policy on %s', (target) => {
  let t: TestApp;
  let clock: Date;
  let n = 0;

  beforeAll(async () => {
    t = await createTestApp(target, { PORT: String(PORT) });
    t.ctx.now = () => clock;
    clock = new Date('2026-11-25T08:00:10Z');
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    clock = new Date(clock.getTime() + 24 * 3_600_000);
    await t.ctx.store.db.delete(signInThrottle);
  });

  async function newUser(role: 'clinician' | 'front_desk' = 'clinician') {
    const email = `passkey${++n}@clinic.example`;
    const user = await createStaffUser(t.ctx.store.db, { email, displayName: `User ${n}`, role });
    await setStaffPassword(t.ctx.store.db, user.id, PASSWORD, clock);
    return { id: user.id, email, authenticator: new SoftAuthenticator('localhost', ORIGIN) };
  }

  async function signIn(email: string) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email, password: PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    return {
      ...heldSession(res),
      info: res.json<{ stage: string; secondFactor: { methods: string[]; enrol: string[] } }>(),
    };
  }

  const post = (s: HeldSession, url: string, payload?: object) =>
    asSession(t.app, s, 'POST', url, payload);

  async function addPasskey(s: HeldSession, authenticator: SoftAuthenticator) {
    const ceremony = (await post(s, '/api/auth/passkeys/registration/options')).json<Ceremony>();
    return post(s, '/api/auth/passkeys/registration', {
      challengeId: ceremony.challengeId,
      name: 'Work laptop',
      credential: authenticator.create(ceremony.options),
    });
  }

  async function enrolWithPasskey(user: Awaited<ReturnType<typeof newUser>>) {
    const first = await signIn(user.email);
    const added = await addPasskey(first, user.authenticator);
    expect(added.statusCode).toBe(200);
    return {
      cookie: cookieOf(added),
      csrf: added.json<{ session: { csrfToken: string } }>().session.csrfToken,
    };
  }

  /** Changes the policy in the store, as another node would, and waits out this node's cache. */
  async function setPolicy(change: (p: SecurityPolicy) => void) {
    const [latest] = await t.ctx.store.db
      .select()
      .from(securityPolicyVersion)
      .orderBy(desc(securityPolicyVersion.version))
      .limit(1);
    const policy = structuredClone(latest!.policy);
    change(policy);
    await t.ctx.store.db
      .insert(securityPolicyVersion)
      .values({ version: latest!.version + 1, policy });
    await new Promise((r) => setTimeout(r, 2_100));
  }

  it('lets a clinician enrol a passkey as the first factor, with recovery codes', async () => {
    const user = await newUser();
    const first = await signIn(user.email);
    expect(first.info.stage).toBe('mfa_enrolment');
    expect(first.info.secondFactor.enrol).toEqual(['totp', 'passkey']);

    const added = await addPasskey(first, user.authenticator);
    expect(added.statusCode).toBe(200);
    const body = added.json<{ recoveryCodes: string[]; session: { stage: string } }>();
    expect(body.session.stage).toBe('full');
    expect(body.recoveryCodes).toHaveLength(10);
    // Promotion rotated the session: the pre-enrolment cookie is dead.
    expect(cookieOf(added)).not.toBe(first.cookie);
    const old = await t.app.inject({
      url: '/api/auth/passkeys',
      headers: { cookie: first.cookie },
    });
    expect(old.statusCode).toBe(401);

    const list = await t.app.inject({
      url: '/api/auth/passkeys',
      headers: { cookie: cookieOf(added) },
    });
    expect(list.json<{ passkeys: { name: string }[] }>().passkeys).toEqual([
      expect.objectContaining({ name: 'Work laptop', synced: false, lastUsedAt: null }),
    ]);
  });

  it('asks for the passkey after the password, and refuses an authenticator code', async () => {
    const user = await newUser();
    await enrolWithPasskey(user);
    const next = await signIn(user.email);
    expect(next.info.stage).toBe('mfa_pending');
    expect(next.info.secondFactor.methods).toEqual(['passkey', 'recovery_code']);
    const code = await post(next, '/api/auth/mfa/verify', { code: '123456' });
    expect(code.statusCode).toBe(403);
    expect(code.json()).toMatchObject({ code: 'passkey_required' });

    const ceremony = (await post(next, '/api/auth/mfa/passkey/options')).json<Ceremony>();
    expect(ceremony.options.allowCredentials).toHaveLength(1);
    const done = await post(next, '/api/auth/mfa/passkey', {
      challengeId: ceremony.challengeId,
      credential: user.authenticator.get(ceremony.options),
    });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ stage: 'full', secondFactor: null });
  });

  it('signs in with a passkey alone, and never accepts one answer twice', async () => {
    const user = await newUser();
    await enrolWithPasskey(user);
    const ceremony = (
      await t.app.inject({ method: 'POST', url: '/api/auth/passkeys/sign-in/options' })
    ).json<Ceremony>();
    expect(ceremony.options.allowCredentials ?? []).toEqual([]);
    const answer = {
      challengeId: ceremony.challengeId,
      credential: user.authenticator.get(ceremony.options),
    };
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/passkeys/sign-in',
      payload: answer,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ stage: 'full', user: { email: user.email } });
    expect(await verificationOf(t.ctx.store.db, cookieOf(res))).toBe('staff_passkey');

    const replay = await t.app.inject({
      method: 'POST',
      url: '/api/auth/passkeys/sign-in',
      payload: answer,
    });
    expect(replay.statusCode).toBe(401);
    expect(replay.json()).toMatchObject({ code: 'passkey_invalid' });
  });

  it('refuses an answer made for another site, without user verification, or from a clone', async () => {
    const user = await newUser();
    await enrolWithPasskey(user);
    const attempt = async (choices: Parameters<SoftAuthenticator['get']>[1]) => {
      const ceremony = (
        await t.app.inject({ method: 'POST', url: '/api/auth/passkeys/sign-in/options' })
      ).json<Ceremony>();
      return t.app.inject({
        method: 'POST',
        url: '/api/auth/passkeys/sign-in',
        payload: {
          challengeId: ceremony.challengeId,
          credential: user.authenticator.get(ceremony.options, choices),
        },
      });
    };
    expect((await attempt({ origin: 'https://safeconsu1t.example' })).statusCode).toBe(401);
    expect((await attempt({ userVerified: false })).statusCode).toBe(401);
    expect((await attempt({ counter: 50 })).statusCode).toBe(200);
    // A copy of the key still counting from an older value is a cloned authenticator.
    expect((await attempt({ counter: 7 })).statusCode).toBe(401);
  });

  it('validates what a browser sends and answers with the problem', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/passkeys/sign-in',
      payload: { challengeId: 'not-a-uuid', credential: { id: 'x' } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'validation_failed' });
  });

  it('keeps a role that needs phishing resistance from stopping at an authenticator app', async () => {
    const user = await newUser();
    const first = await signIn(user.email);
    const start = await post(first, '/api/auth/mfa/totp/enrolment');
    const { secret } = start.json<{ secret: string }>();
    expect(
      (
        await post(first, '/api/auth/mfa/totp/enrolment/confirm', {
          code: authenticatorCode(secret, clock),
        })
      ).statusCode,
    ).toBe(200);

    await setPolicy((p) => (p.mfa.clinician = 'phishing_resistant'));
    try {
      clock = new Date(clock.getTime() + 60_000);
      const next = await signIn(user.email);
      expect(next.info.secondFactor.methods).toEqual(['totp', 'recovery_code']);
      const coded = await post(next, '/api/auth/mfa/verify', {
        code: authenticatorCode(secret, clock),
      });
      expect(coded.json()).toMatchObject({
        stage: 'mfa_enrolment',
        secondFactor: { enrol: ['passkey'] },
      });
      const enrolling = heldSession(coded);
      const app = await post(enrolling, '/api/auth/mfa/totp/enrolment');
      expect(app.json()).toMatchObject({ code: 'passkey_required' });
      const added = await addPasskey(enrolling, user.authenticator);
      expect(added.json()).toMatchObject({ recoveryCodes: null, session: { stage: 'full' } });

      clock = new Date(clock.getTime() + 60_000);
      const later = await signIn(user.email);
      expect(later.info.secondFactor.methods).toEqual(['passkey', 'recovery_code']);
      const refused = await post(later, '/api/auth/mfa/verify', {
        code: authenticatorCode(secret, clock),
      });
      expect(refused.json()).toMatchObject({ code: 'passkey_required' });
    } finally {
      await setPolicy((p) => (p.mfa.clinician = 'required'));
    }
  });

  it('keeps the last required factor and re-authenticates with a passkey', async () => {
    const user = await newUser();
    const s = await enrolWithPasskey(user);
    const [only] = (
      await t.app.inject({ url: '/api/auth/passkeys', headers: { cookie: s.cookie } })
    ).json<{ passkeys: { id: string }[] }>().passkeys;
    const removeOnly = () => asSession(t.app, s, 'DELETE', `/api/auth/passkeys/${only!.id}`);
    expect((await removeOnly()).json()).toMatchObject({ code: 'conflict' });

    clock = new Date(clock.getTime() + 10 * 60_000);
    expect((await removeOnly()).json()).toMatchObject({ code: 'reauthentication_required' });
    const password = await post(s, '/api/auth/reauthenticate', { password: PASSWORD });
    expect(password.json()).toMatchObject({ code: 'passkey_required' });
    const ceremony = (await post(s, '/api/auth/reauthenticate/passkey/options')).json<Ceremony>();
    const confirmed = await post(s, '/api/auth/reauthenticate/passkey', {
      challengeId: ceremony.challengeId,
      credential: user.authenticator.get(ceremony.options),
    });
    expect(confirmed.statusCode).toBe(204);

    expect((await addPasskey(s, user.authenticator)).statusCode).toBe(200);
    expect((await removeOnly()).statusCode).toBe(204);
  });
});

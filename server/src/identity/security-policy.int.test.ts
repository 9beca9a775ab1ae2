import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SecurityPolicy, SecurityPolicyState } from '@safeconsult/protocol';
import { createTestApp, type TestApp } from '../test-support/context.js';
import { asSession, heldSession, type HeldSession } from '../test-support/staff-client.js';
import { storeTargets } from '../test-support/stores.js';
import { auditEntryTable as securityEvent } from '../audit/index.js';
import { createStaffUser, setStaffPassword } from './service.js';

const PASSWORD = 'lantern orchard tuesday mosaic';

describe.each(storeTargets())("the organisation's security policy on %s", (target) => {
  let t: TestApp;
  let clock: Date;
  let officer: HeldSession;
  let admin: HeldSession;

  async function signIn(role: 'security_officer' | 'admin' | 'front_desk', name: string) {
    const email = `${name.toLowerCase()}@clinic.example`;
    const user = await createStaffUser(t.ctx.store.db, { email, displayName: name, role });
    await setStaffPassword(t.ctx.store.db, user.id, PASSWORD, clock);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email, password: PASSWORD },
    });
    return res;
  }

  beforeAll(async () => {
    // No second factor here: this file is about the policy, not about enrolment.
    t = await createTestApp(target, { MFA_REQUIRED_ROLES: 'none' });
    clock = new Date('2026-11-25T09:00:00Z');
    t.ctx.now = () => clock;
    officer = heldSession(await signIn('security_officer', 'Priya'));
    admin = heldSession(await signIn('admin', 'Alex'));
  });
  afterAll(() => t.close());

  const current = async () =>
    (await asSession(t.app, officer, 'GET', '/api/security/policy')).json<SecurityPolicyState>();
  const put = (s: HeldSession, policy: SecurityPolicy, version: number) =>
    asSession(t.app, s, 'PUT', '/api/security/policy', { policy, version });

  it('starts from the configured defaults, which follow NIST SP 800-63B', async () => {
    const state = await current();
    expect(state.version).toBe(1);
    expect(state.updatedBy).toBeNull();
    expect(state.policy).toEqual({
      password: { minLengthSingleFactor: 15, minLengthWithMfa: 8 },
      mfa: {
        admin: 'optional',
        security_officer: 'optional',
        clinician: 'optional',
        nurse: 'optional',
        front_desk: 'optional',
        researcher: 'optional',
      },
      session: { idleMinutes: 15, maxHours: 12 },
      patients: { identityCheck: 'date_of_birth' },
    });
  });

  it('lets the security officer change it, and nobody else', async () => {
    const { policy, version } = await current();
    const changed = { ...policy, session: { idleMinutes: 5, maxHours: 8 } };
    const byAdmin = await put(admin, changed, version);
    expect(byAdmin.statusCode).toBe(403);

    const res = await put(officer, changed, version);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      version: 2,
      policy: { session: { idleMinutes: 5, maxHours: 8 } },
      updatedBy: { displayName: 'Priya', role: 'security_officer' },
    });
    const [event] = await t.ctx.store.db
      .select()
      .from(securityEvent)
      .where(eq(securityEvent.action, 'security_policy_changed'));
    expect(event?.detail).toEqual({ version: 2, rules: 'session.idleMinutes, session.maxHours' });

    // In force at once on this node: sessions now report, and end after, five idle minutes.
    const session = await asSession(t.app, officer, 'GET', '/api/auth/session');
    expect(session.json()).toMatchObject({ session: { idleTimeoutSeconds: 300 } });
  });

  it('refuses a change made from an outdated version', async () => {
    const { policy } = await current();
    const res = await put(officer, policy, 1);
    expect(res.statusCode).toBe(409);
    expect((await current()).version).toBe(2);
  });

  it.each([
    [
      'a password shorter than NIST allows',
      (p: SecurityPolicy) => (p.password.minLengthSingleFactor = 12),
      'password.minLengthSingleFactor',
    ],
    [
      'an idle time beyond the session',
      (p: SecurityPolicy) => (p.session.idleMinutes = 600),
      'session.idleMinutes',
    ],
    [
      'an unknown requirement',
      (p: SecurityPolicy) => ((p.mfa as Record<string, string>).nurse = 'sometimes'),
      'mfa.nurse',
    ],
  ])('refuses %s, naming the rule, and changes nothing', async (_, spoil, path) => {
    const { policy, version } = await current();
    const bad = structuredClone(policy);
    spoil(bad);
    const res = await put(officer, bad, version);
    expect(res.statusCode).toBe(400);
    expect(res.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toContain(
      `body.policy.${path}`,
    );
    expect((await current()).version).toBe(version);
  });

  it('asks the officer to confirm who they are after a pause', async () => {
    // Active all along (the idle limit is five minutes now), but signed in six minutes ago.
    clock = new Date(clock.getTime() + 4 * 60_000);
    await asSession(t.app, officer, 'GET', '/api/auth/session');
    clock = new Date(clock.getTime() + 2 * 60_000);
    const { policy, version } = await current();
    const res = await put(officer, { ...policy, patients: { identityCheck: 'none' } }, version);
    expect(res.json()).toMatchObject({ code: 'reauthentication_required' });
    await asSession(t.app, officer, 'POST', '/api/auth/reauthenticate', { password: PASSWORD });
    expect(
      (await put(officer, { ...policy, patients: { identityCheck: 'none' } }, version)).statusCode,
    ).toBe(200);
  });

  it('applies a second-factor requirement at the next sign-in', async () => {
    const { policy, version } = await current();
    await put(officer, { ...policy, mfa: { ...policy.mfa, front_desk: 'required' } }, version);
    const res = await signIn('front_desk', 'Sam');
    expect(res.json()).toMatchObject({
      stage: 'mfa_enrolment',
      secondFactor: { enrol: ['totp', 'passkey'] },
    });
  });
});

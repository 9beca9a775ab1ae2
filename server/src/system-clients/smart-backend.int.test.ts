import { and, eq } from 'drizzle-orm';
import type { Bundle, Encounter } from 'fhir/r4.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MRN_SYSTEM } from '../records/index.js';
import { auditEntryTable as ledger } from '../audit/index.js';
import { DEMO_PATIENTS, seedDemoClinic } from '../demo/index.js';
import { createTestApp, type TestApp } from '../test-support/context.js';
import { signInDemo } from '../test-support/fhir-client.js';
import {
  clientAssertion,
  clientKeys,
  tokenRequestBody,
  type ClientKeys,
} from '../test-support/smart-client.js';
import type { HeldSession } from '../test-support/staff-client.js';
import { storeTargets } from '../test-support/stores.js';

const MARIA = DEMO_PATIENTS[0]!.patient;
const MARIA_MRN = MARIA.identifier!.find((i) => i.system === MRN_SYSTEM)!.value!;
const TOKEN_URL = 'http://localhost:3000/oauth/token';

describe.each(storeTargets())('SMART Backend Services on %s', (target) => {
  let t: TestApp;
  let admin: HeldSession;
  let keys: ClientKeys;
  let clientId: string;

  const asAdmin = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      headers: {
        cookie: admin.cookie,
        ...(method === 'GET' ? {} : { 'x-csrf-token': admin.csrf }),
      },
      ...(payload ? { payload } : {}),
    });
  const token = (body: string) =>
    t.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: body,
    });
  const fhir = (accessToken: string, method: 'GET' | 'POST', url: string, body?: object) =>
    t.app.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${accessToken}`,
        ...(body ? { 'content-type': 'application/fhir+json' } : {}),
      },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    });
  const accessToken = async (scope: string) => {
    const res = await token(
      tokenRequestBody(await clientAssertion(keys, { clientId, audience: TOKEN_URL }), scope),
    );
    expect(res.statusCode).toBe(200);
    return res.json<{ access_token: string; scope: string }>();
  };

  beforeAll(async () => {
    t = await createTestApp(target, { MFA_REQUIRED_ROLES: 'none' });
    await seedDemoClinic(t.ctx);
    admin = await signInDemo(t.app, 'alex.');
    keys = await clientKeys();
  });
  afterAll(() => t.close());

  it('publishes its SMART configuration', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/.well-known/smart-configuration' });
    expect(res.statusCode).toBe(200);
    const config = res.json<Record<string, string[] | string>>();
    expect(config.token_endpoint).toBe(TOKEN_URL);
    expect(config.token_endpoint_auth_methods_supported).toEqual(['private_key_jwt']);
    expect(config.token_endpoint_auth_signing_alg_values_supported).toEqual(['RS384', 'ES384']);
    expect(config.grant_types_supported).toEqual(['client_credentials']);
    expect(config.scopes_supported).toContain('system/Encounter.crus');
    expect(config.scopes_supported).toContain('system/Patient.rus');
  });

  it('lets the administrator register a client with public keys only; others may not', async () => {
    const clinician = await signInDemo(t.app, 'jonas.');
    const body = {
      name: 'Regional EHR',
      jwks: keys.jwks,
      scopes: ['system/Patient.rs', 'system/Condition.rs', 'system/Encounter.cruds'],
    };
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/admin/system-clients',
      headers: { cookie: clinician.cookie, 'x-csrf-token': clinician.csrf },
      payload: body,
    });
    expect(refused.statusCode).toBe(403);
    const privateJwk = { keys: [{ ...keys.jwks.keys[0]!, d: 'c2VjcmV0' }] };
    const withPrivate = await asAdmin('POST', '/api/admin/system-clients', {
      ...body,
      jwks: privateJwk,
    });
    expect(withPrivate.statusCode).toBe(400);
    const badScope = await asAdmin('POST', '/api/admin/system-clients', {
      ...body,
      scopes: ['user/*.read'],
    });
    expect(badScope.statusCode).toBe(400);

    const created = await asAdmin('POST', '/api/admin/system-clients', body);
    expect(created.statusCode).toBe(201);
    clientId = created.json<{ clientId: string }>().clientId;
    const list = await asAdmin('GET', '/api/admin/system-clients');
    expect(list.json<{ clients: { clientId: string; disabled: boolean }[] }>().clients).toEqual([
      expect.objectContaining({ clientId, disabled: false }),
    ]);
  });

  it('issues a five-minute token for a valid assertion, narrowed to the registered scopes', async () => {
    const assertion = await clientAssertion(keys, { clientId, audience: TOKEN_URL });
    const res = await token(
      tokenRequestBody(assertion, 'system/Patient.rs system/Observation.rs system/Condition.r'),
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json<Record<string, unknown>>();
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 300 });
    expect(body.scope).toBe('system/Patient.rs system/Condition.r');
    expect(body.access_token).toMatch(/^[\w-]{43}$/);

    // The same assertion again is a replay.
    const replay = await token(tokenRequestBody(assertion, 'system/Patient.rs'));
    expect(replay.statusCode).toBe(401);
    expect(replay.json()).toMatchObject({ error: 'invalid_client' });
    expect(replay.json<{ error_description: string }>().error_description).toMatch(/already used/);
  });

  it('refuses expired, far-reaching, misaddressed, foreign-signed and unknown assertions', async () => {
    const now = Math.floor(Date.now() / 1000);
    const other = await clientKeys();
    const cases: [string, Promise<string>, RegExp][] = [
      [
        'expired',
        clientAssertion(keys, { clientId, audience: TOKEN_URL, exp: now - 120 }),
        /expired/,
      ],
      [
        'too far',
        clientAssertion(keys, { clientId, audience: TOKEN_URL, exp: now + 3600 }),
        /five minutes/,
      ],
      [
        'wrong aud',
        clientAssertion(keys, { clientId, audience: 'https://elsewhere.example/token' }),
        /aud/,
      ],
      [
        'other key',
        clientAssertion({ ...other, kid: keys.kid }, { clientId, audience: TOKEN_URL }),
        /not signed/,
      ],
      [
        'unknown client',
        clientAssertion(keys, {
          clientId: '7d0b3b9e-0000-4000-8000-000000000000',
          audience: TOKEN_URL,
        }),
        /not registered/,
      ],
    ];
    for (const [, assertion, reason] of cases) {
      const res = await token(tokenRequestBody(await assertion, 'system/Patient.rs'));
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ error: 'invalid_client' });
      expect(res.json<{ error_description: string }>().error_description).toMatch(reason);
    }
    const notJwt = await token(tokenRequestBody('not-a-jwt', 'system/Patient.rs'));
    expect(notJwt.json()).toMatchObject({ error: 'invalid_client' });
    const scope = await token(
      tokenRequestBody(
        await clientAssertion(keys, { clientId, audience: TOKEN_URL }),
        'system/Observation.rs',
      ),
    );
    expect(scope.statusCode).toBe(400);
    expect(scope.json()).toMatchObject({ error: 'invalid_scope' });
    const grant = await token(
      tokenRequestBody('x', 'system/Patient.rs').replace('client_credentials', 'password'),
    );
    expect(grant.json()).toMatchObject({ error: 'unsupported_grant_type' });

    const events = await t.ctx.store.db
      .select({ action: ledger.action, actorType: ledger.actorType, actorId: ledger.actorId })
      .from(ledger)
      .where(and(eq(ledger.category, 'security'), eq(ledger.action, 'client_token_refused')));
    expect(events.filter((e) => e.actorType === 'client' && e.actorId === clientId).length).toBe(6);
    expect(events.some((e) => e.actorType === 'anonymous')).toBe(true);
  });

  it('reads and writes through /fhir within its scopes, recorded as the client', async () => {
    const { access_token: bearer } = await accessToken(
      'system/Patient.rs system/Condition.rs system/Encounter.cruds',
    );
    const found = await fhir(bearer, 'GET', `/fhir/Patient?identifier=${MRN_SYSTEM}|${MARIA_MRN}`);
    expect(found.statusCode).toBe(200);
    const patients = found.json<Bundle>();
    expect(patients.entry?.map((e) => e.resource?.id)).toEqual([MARIA.id]);
    const conditions = await fhir(bearer, 'GET', `/fhir/Condition?patient=${MARIA.id}`);
    expect(conditions.statusCode).toBe(200);
    expect(conditions.json<Bundle>().total).toBeGreaterThan(0);

    // Outside its scopes: another type, another section, a staff-only view.
    expect((await fhir(bearer, 'GET', `/fhir/Observation?patient=${MARIA.id}`)).statusCode).toBe(
      403,
    );
    expect((await fhir(bearer, 'GET', `/fhir/Practitioner`)).statusCode).toBe(403);
    const note = {
      resourceType: 'DocumentReference',
      status: 'current',
      subject: { reference: `Patient/${MARIA.id}` },
      content: [{ attachment: { contentType: 'text/plain', data: 'bm90ZQ==' } }],
    };
    // Same section as Encounter, but not a type the token names.
    expect((await fhir(bearer, 'POST', '/fhir/DocumentReference', note)).statusCode).toBe(403);

    const encounter: Encounter = {
      resourceType: 'Encounter',
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR' },
      subject: { reference: `Patient/${MARIA.id}` },
      identifier: [{ system: 'urn:test:consult', value: 'c-1' }],
    };
    const created = await fhir(bearer, 'POST', '/fhir/Encounter', encounter);
    expect(created.statusCode).toBe(201);

    const entries = await t.ctx.store.db
      .select({ action: ledger.action, outcome: ledger.outcome })
      .from(ledger)
      .where(
        and(
          eq(ledger.actorType, 'client'),
          eq(ledger.actorId, clientId),
          eq(ledger.category, 'access'),
        ),
      );
    expect(entries).toContainEqual({ action: 'readRecord', outcome: 'allowed' });
    expect(entries).toContainEqual({ action: 'writeRecord', outcome: 'allowed' });
    // Refusals by scope are filed too: the Observation search, the view, the DocumentReference.
    expect(entries).toContainEqual({ action: 'readRecord', outcome: 'refused' });
    expect(entries).toContainEqual({ action: 'writeRecord', outcome: 'refused' });
  });

  it('refuses a token that is not valid, and every token of a disabled client', async () => {
    const { access_token: bearer } = await accessToken('system/Patient.rs');
    const bogus = await fhir('A'.repeat(43), 'GET', `/fhir/Patient?_id=${MARIA.id}`);
    expect(bogus.statusCode).toBe(401);
    expect(bogus.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    expect(bogus.headers['content-type']).toContain('application/fhir+json');

    const disabled = await asAdmin('PATCH', `/api/admin/system-clients/${clientId}`, {
      disabled: true,
    });
    expect(disabled.statusCode).toBe(200);
    expect((await fhir(bearer, 'GET', `/fhir/Patient?_id=${MARIA.id}`)).statusCode).toBe(401);
    const again = await token(
      tokenRequestBody(
        await clientAssertion(keys, { clientId, audience: TOKEN_URL }),
        'system/Patient.rs',
      ),
    );
    expect(again.statusCode).toBe(401);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ACCESS_ACTIONS, SIGNAL_CLIENT_TYPES } from '@safeconsult/protocol';
import { buildApp } from './app.js';
import { createTestApp, createTestContext, type TestApp } from './test-support/context.js';

/**
 * The public routes, reviewed: anything else must be decided by the access policy. Adding a
 * public route means adding it here, in a change someone reviews.
 */
const REVIEWED_PUBLIC = [
  'GET /healthz',
  'GET /readyz',
  'GET /api/clinic',
  'POST /api/security/csp-reports',
  'POST /api/auth/sign-in',
  'GET /api/auth/session',
  'POST /api/auth/links/inspect',
  'POST /api/auth/links/password-check',
  'POST /api/auth/links/set-password',
  'POST /api/auth/password-reset',
  'POST /api/auth/passkeys/sign-in/options',
  'POST /api/auth/passkeys/sign-in',
  'POST /api/join/inspect',
  'POST /api/join',
  'GET /api/join/session',
  // The FHIR CapabilityStatement: what the API supports, no data.
  'GET /fhir/metadata',
  // SMART Backend Services: discovery, and the token endpoint a client proves itself to with a
  // signed assertion in the body.
  'GET /.well-known/smart-configuration',
  'GET /fhir/.well-known/smart-configuration',
  'POST /oauth/token',
];

describe('route declarations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite');
  });
  afterAll(() => t.close());

  it('every registered route declares its access, and only reviewed routes are public', () => {
    const routes = t.app.routeSummaries().filter((r) => r.method !== 'HEAD');
    expect(routes.length).toBeGreaterThan(REVIEWED_PUBLIC.length);
    for (const route of routes) {
      expect(route.access, `${route.method} ${route.url}`).toBeDefined();
      if (route.access?.kind === 'public') {
        expect(REVIEWED_PUBLIC).toContain(`${route.method} ${route.url}`);
        expect(route.hasResponseSchema, `${route.method} ${route.url}`).toBe(true);
      } else if (route.access?.kind === 'public-files') {
        expect(route.url.startsWith('/api/docs') || !route.url.startsWith('/api/')).toBe(true);
      } else {
        // Everything else is decided by the access policy: it names an action the schema knows.
        expect(ACCESS_ACTIONS, `${route.method} ${route.url}`).toContain(
          route.access?.check.action,
        );
      }
    }
  });

  it('every realtime message type a client may send names the action the policy decides it by', () => {
    const sockets = t.app
      .routeSummaries()
      .filter((r) => r.method !== 'HEAD' && r.access?.kind === 'realtime');
    expect(sockets.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /api/consults/:appointmentId/signal',
    ]);
    for (const socket of sockets) {
      if (socket.access?.kind !== 'realtime') continue;
      expect(Object.keys(socket.access.messages).sort()).toEqual([...SIGNAL_CLIENT_TYPES].sort());
      for (const [type, action] of Object.entries(socket.access.messages)) {
        expect(ACCESS_ACTIONS, type).toContain(action);
      }
    }
  });

  it('a route without a declaration stops the server from starting', async () => {
    const tc = await createTestContext('pglite');
    try {
      const app = await buildApp(tc.ctx, {
        webRoot: null,
        extraRoutes: async (scope) => {
          scope
            .withTypeProvider<ZodTypeProvider>()
            .get('/api/undeclared', { schema: { response: { 200: z.object({}) } } }, () => ({}));
        },
      });
      await expect(app.ready()).rejects.toThrow(/GET \/api\/undeclared declares no access rule/);
    } finally {
      await tc.close();
    }
  });
});

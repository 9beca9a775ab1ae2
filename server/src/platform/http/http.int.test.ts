import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { countCspViolations } from '../../governance/index.js';
import { createTestApp, type TestApp } from '../../test-support/context.js';
import { storeTargets } from '../../test-support/stores.js';
import { publicRoute } from './index.js';

const REPORT_PATH = '/api/security/csp-reports';
const validReport = {
  'csp-report': {
    'document-uri': 'http://localhost:3000/join?token=SECRET-INVITE',
    'blocked-uri': 'https://tracker.example/pixel.js?patient=Schneider',
    'effective-directive': 'script-src-elem',
    disposition: 'enforce',
  },
};

describe.each(storeTargets())('HTTP platform on %s', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(
      target,
      { BODY_LIMIT_BYTES: '4096' },
      {
        webRoot: null,
        extraRoutes: async (app) => {
          app.withTypeProvider<ZodTypeProvider>().get(
            '/api/test/fault',
            {
              config: { access: publicRoute('test') },
              schema: { response: { 200: z.object({}) } },
            },
            () => {
              throw new Error('Failed query: select 1\nparams: Maria Schneider');
            },
          );
        },
      },
    );
  });
  afterAll(() => t.close());

  const post = (payload: string, contentType = 'application/json') =>
    t.app.inject({
      method: 'POST',
      url: REPORT_PATH,
      payload,
      headers: { 'content-type': contentType },
    });

  it('sends the security headers and no-store on every API answer, errors included', async () => {
    for (const url of ['/healthz', '/api/clinic', '/api/no-such-thing']) {
      const res = await t.app.inject({ url });
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      // Plain http on localhost: HSTS would lock browsers out of the address.
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
  });

  it('answers an unknown API address with a problem document', async () => {
    const res = await t.app.inject({ url: '/api/no-such-thing', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('stores a valid violation report without query strings', async () => {
    const before = await countCspViolations(t.ctx.store.db);
    const res = await post(JSON.stringify(validReport), 'application/csp-report');
    expect(res.statusCode).toBe(204);
    expect(await countCspViolations(t.ctx.store.db)).toBe(before + 1);
    expect(t.logs.text).not.toContain('SECRET-INVITE');
    expect(t.logs.text).not.toContain('Schneider');
  });

  describe('bad input gets a clear 4xx and changes nothing', () => {
    const cases: {
      name: string;
      send: () => ReturnType<typeof post>;
      status: number;
      code: string;
      path?: string;
    }[] = [
      {
        name: 'malformed JSON',
        send: () => post('{"csp-report": {'),
        status: 400,
        code: 'malformed_body',
      },
      { name: 'an empty body', send: () => post(''), status: 400, code: 'malformed_body' },
      {
        name: 'an unknown field',
        send: () => post(JSON.stringify({ ...validReport, extra: 'x' })),
        status: 400,
        code: 'validation_failed',
        path: 'body',
      },
      {
        name: 'an over-long value',
        send: () =>
          post(
            JSON.stringify({
              'csp-report': {
                'document-uri': `http://x/${'a'.repeat(3000)}`,
                'violated-directive': 'x'.repeat(300),
              },
            }),
          ),
        status: 400,
        code: 'validation_failed',
        path: 'body.csp-report.violated-directive',
      },
      {
        name: 'a wrong type',
        send: () => post(JSON.stringify({ 'csp-report': { 'line-number': 'ten' } })),
        status: 400,
        code: 'validation_failed',
        path: 'body.csp-report.line-number',
      },
      {
        name: 'a body over the size limit',
        send: () => post(JSON.stringify({ 'csp-report': { 'document-uri': 'x'.repeat(5000) } })),
        status: 413,
        code: 'body_too_large',
      },
      {
        name: 'an unsupported content type',
        send: () => post('csp-report=1', 'application/x-www-form-urlencoded'),
        status: 415,
        code: 'unsupported_media_type',
      },
      {
        name: 'a prototype-poisoning body',
        send: () => post('{"csp-report": {}, "__proto__": {"admin": true}}'),
        status: 400,
        code: 'malformed_body',
      },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const before = await countCspViolations(t.ctx.store.db);
        const res = await c.send();
        expect(res.statusCode).toBe(c.status);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        const body = res.json<{
          code: string;
          status: number;
          title: string;
          detail: string;
          errors?: { path: string; message: string }[];
        }>();
        expect(body.code).toBe(c.code);
        expect(body.status).toBe(c.status);
        expect(body.title.length).toBeGreaterThan(0);
        expect(body.detail.length).toBeGreaterThan(0);
        if (c.path) expect(body.errors?.map((e) => e.path)).toContain(c.path);
        expect(await countCspViolations(t.ctx.store.db)).toBe(before);
      });
    }
  });

  it('answers an unexpected fault with a 500 that reveals nothing, and logs no parameters', async () => {
    const res = await t.app.inject({ url: '/api/test/fault' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toMatchObject({ code: 'internal_error' });
    expect(res.body).not.toContain('Maria');
    expect(res.body).not.toContain('Failed query');
    expect(t.logs.text).toContain('Failed query: select 1');
    expect(t.logs.text).not.toContain('Maria Schneider');
  });

  it('throttles a route beyond its own budget with 429 and Retry-After', async () => {
    let last = await post(JSON.stringify(validReport));
    for (let i = 0; i < 40 && last.statusCode !== 429; i++)
      last = await post(JSON.stringify(validReport));
    expect(last.statusCode).toBe(429);
    expect(last.headers['retry-after']).toMatch(/^\d+$/);
    expect(last.json()).toMatchObject({ code: 'rate_limited', status: 429 });
    // Other routes have their own budget.
    expect((await t.app.inject({ url: '/api/clinic' })).statusCode).toBe(200);
  });
});

describe('global rate limit and HSTS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite', {
      RATE_LIMIT_PER_MINUTE: '5',
      PUBLIC_URL: 'https://care.example',
    });
  });
  afterAll(() => t.close());

  it('limits every route per client address, except the probes', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push((await t.app.inject({ url: '/api/clinic' })).statusCode);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const fromElsewhere = await t.app.inject({ url: '/api/clinic', remoteAddress: '10.9.8.7' });
    expect(fromElsewhere.statusCode).toBe(200);
    for (let i = 0; i < 10; i++)
      expect((await t.app.inject({ url: '/readyz' })).statusCode).toBe(200);
  });

  it('sends HSTS and upgrades insecure requests when served over https', async () => {
    const res = await t.app.inject({ url: '/healthz' });
    expect(res.headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
    expect(String(res.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
  });
});

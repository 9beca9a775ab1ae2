import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, queryRows } from '../platform/db/index.js';
import { createTestApp, type TestApp } from '../test-support/context.js';
import { storeTargets } from '../test-support/stores.js';

describe.each(storeTargets())('probes, clinic profile and API docs on %s', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(target);
  });
  afterAll(() => t.close());

  it('reports alive and ready', async () => {
    expect((await t.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({
      status: 'ready',
      checks: { store: 'ok', migrations: 'applied' },
    });
  });

  it('reports not ready while a migration is missing', async () => {
    const db = t.ctx.store.db;
    const [row] = await queryRows<{ hash: string; created_at: string }>(
      db,
      sql`delete from drizzle.__drizzle_migrations where id = (select max(id) from drizzle.__drizzle_migrations) returning hash, created_at`,
    );
    try {
      const res = await t.app.inject({ url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ status: 'not_ready', checks: { migrations: 'pending' } });
    } finally {
      await db.execute(
        sql`insert into drizzle.__drizzle_migrations (hash, created_at) values (${row?.hash}, ${row?.created_at})`,
      );
    }
    expect((await t.app.inject({ url: '/readyz' })).statusCode).toBe(200);
  });

  it("serves the clinic's public profile", async () => {
    const res = await t.app.inject({ url: '/api/clinic' });
    expect(res.json()).toEqual({
      name: 'SafeConsult',
      defaultLocale: 'en',
      timeZone: 'Europe/Berlin',
    });
  });

  it('serves an OpenAPI document generated from the route schemas', async () => {
    const res = await t.app.inject({ url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{ openapi: string; paths: Record<string, Record<string, unknown>> }>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/healthz', '/readyz', '/api/clinic', '/api/security/csp-reports']),
    );
    const report = doc.paths['/api/security/csp-reports']?.post as { requestBody?: unknown };
    expect(JSON.stringify(report.requestBody)).toContain('csp-report');
    const page = await t.app.inject({ url: '/api/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    // Swagger UI needs inline styles; scripts stay restricted to our own files.
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("style-src 'self' 'unsafe-inline';");
  });

  it('reports the store unreachable once it is gone', async () => {
    await t.ctx.store.close();
    const res = await t.app.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ checks: { store: 'unreachable' } });
    // Reopen so that teardown closes a live store.
    t.ctx.store = await openStore(t.ctx.config.store, t.ctx.log);
  });
});

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/context.js';

describe('serving the web app', () => {
  let t: TestApp;
  let webRoot: string;
  beforeAll(async () => {
    webRoot = await mkdtemp(path.join(os.tmpdir(), 'sc-web-'));
    await mkdir(path.join(webRoot, 'assets'));
    await writeFile(path.join(webRoot, 'index.html'), '<!doctype html><title>shell</title>');
    await writeFile(path.join(webRoot, 'assets', 'app-3f9a.js'), 'console.log(1)');
    t = await createTestApp('pglite', {}, { webRoot });
  });
  afterAll(async () => {
    await t.close();
    await rm(webRoot, { recursive: true, force: true });
  });

  it('serves the app shell for page addresses, so client routes survive a reload', async () => {
    for (const url of ['/', '/console', '/admin/users?tab=1']) {
      const res = await t.app.inject({
        url,
        headers: { accept: 'text/html,application/xhtml+xml' },
      });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain('<title>shell</title>');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(String(res.headers['content-security-policy'])).toContain("script-src 'self'");
    }
  });

  it('caches content-hashed assets for good and serves them with their type', async () => {
    const res = await t.app.inject({ url: '/assets/app-3f9a.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('answers missing files and API addresses with a 404 problem, not the shell', async () => {
    for (const url of ['/assets/missing.js', '/api/unknown', '/favicon.png']) {
      const res = await t.app.inject({ url, headers: { accept: 'text/html' } });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
  });

  it('declares the static routes public files', () => {
    const asset = t.app
      .routeSummaries()
      .find((r) => r.url === '/assets/app-3f9a.js' && r.method === 'GET');
    expect(asset?.access?.kind).toBe('public-files');
  });
});

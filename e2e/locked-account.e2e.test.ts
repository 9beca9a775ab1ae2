import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEMO_STAFF, DEMO_STAFF_PASSWORD } from '../server/src/demo/demo-clinic.js';
import { staffSession, staffUser } from '../server/src/identity/schema.js';
import { loadConfig } from '../server/src/platform/config/index.js';
import { openStore } from '../server/src/platform/db/index.js';
import { createLogger } from '../server/src/platform/log/index.js';
import { authenticatorCode } from '../server/src/test-support/totp.js';
import { launchBrowser, openPage, seriousAccessibilityProblems } from './support/browser.js';
import { startDemoServer, type DemoServer } from './support/demo-server.js';

const ADMIN = DEMO_STAFF.find((s) => s.role === 'admin');
const CLINICIAN = DEMO_STAFF.find((s) => s.role === 'clinician');
const MINUTE = 60_000;

/**
 * A lock takes 100 failed sign-ins with growing waits between them, and a sign-in stays recent
 * for five minutes: too slow for a browser test. While the server is stopped, its store is moved
 * on to one failure short of the lock and to a sign-in ten minutes old.
 */
async function ageStore(dataDir: string, clinicianId: string, adminId: string) {
  const store = await openStore(loadConfig({ DATA_DIR: dataDir }).store, createLogger('silent'));
  try {
    const now = Date.now();
    await store.db
      .update(staffUser)
      .set({ failedSignIns: 99, lastFailedSignInAt: new Date(now - 60 * MINUTE) })
      .where(eq(staffUser.id, clinicianId));
    await store.db
      .update(staffSession)
      .set({ reauthenticatedAt: new Date(now - 10 * MINUTE) })
      .where(eq(staffSession.userId, adminId));
  } finally {
    await store.close();
  }
}

describe('an administrator unlocks a locked account, in a real browser', () => {
  // Its own server, whose store the test changes between two runs of it.
  let server: DemoServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startDemoServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser.close();
    await server.stop();
  });

  const signIn = (email: string, password: string) =>
    fetch(`${server.baseUrl}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });

  it('sees the lock, confirms it is them, and unlocks the account', async () => {
    if (!ADMIN || !CLINICIAN) throw new Error('no demo admin or clinician');
    const { context, page, problems } = await openPage(browser, 'en');
    try {
      await page.goto(`${server.baseUrl}/sign-in`);
      await page.getByLabel('E-mail address').fill(ADMIN.email);
      await page.getByLabel('Password').fill(DEMO_STAFF_PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForURL(`${server.baseUrl}/sign-in/authenticator`);
      const secret = (await page.getByTestId('totp-secret').innerText()).replaceAll(' ', '');
      await page.getByLabel('Code from the app').fill(authenticatorCode(secret, new Date()));
      await page.getByRole('button', { name: 'Confirm and continue' }).click();
      await page.getByRole('link', { name: 'I have saved my codes' }).click();
      await page.waitForURL(`${server.baseUrl}/console`);

      await page.goto('about:blank'); // nothing asks the stopped server for anything
      await server.stop({ keepData: true });
      await ageStore(server.dataDir, CLINICIAN.id, ADMIN.id);
      server = await startDemoServer({ keptDataDir: server.dataDir });
      const locked = await signIn(CLINICIAN.email, 'not the password');
      expect(await locked.json()).toMatchObject({ status: 423, code: 'account_locked' });

      // The session cookie names the host, not the port: the admin is still signed in. Adding a
      // passkey now asks for the same confirmation, which she declines.
      await page.goto(`${server.baseUrl}/account`);
      const create = page.getByRole('button', { name: 'Create a passkey' });
      await create.click();
      const prompt = page.getByRole('region', { name: 'Confirm it is you' });
      const focusedText = () => page.evaluate(() => document.activeElement?.textContent ?? '');
      // The prompt takes the focus, and gives it back to the action when it goes.
      await expect.poll(focusedText).toBe('Confirm it is you');
      await prompt.getByRole('button', { name: 'Cancel' }).click();
      await expect.poll(() => prompt.count()).toBe(0);
      await expect.poll(() => create.evaluate((b) => b === document.activeElement)).toBe(true);
      await page.getByText('You have no passkeys yet.').waitFor();

      await page.goto(`${server.baseUrl}/admin`);
      const row = page.getByRole('row', { name: new RegExp(CLINICIAN.displayName) });
      await expect.poll(() => row.innerText()).toContain('Locked');
      expect(await page.getByRole('button', { name: 'Unlock' }).count()).toBe(1);
      const findings = await seriousAccessibilityProblems(page);
      expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);

      await row.getByRole('button', { name: 'Unlock' }).click();
      await prompt.getByLabel('Password').fill(DEMO_STAFF_PASSWORD);
      // The next step's code: the one used to set the app up does not work twice.
      await prompt
        .getByLabel('Code from your authenticator app')
        .fill(authenticatorCode(secret, new Date(Date.now() + 30_000)));
      await prompt.getByRole('button', { name: 'Confirm', exact: true }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `The account of ${CLINICIAN.displayName} is unlocked` })
        .waitFor();
      await expect.poll(() => row.innerText()).toContain('Active');
      expect(await page.getByRole('button', { name: 'Unlock' }).count()).toBe(0);
      expect(await prompt.count()).toBe(0);
      expect((await signIn(CLINICIAN.email, DEMO_STAFF_PASSWORD)).status).toBe(200);
      // The refusal that asked for the confirmation is the one failed request.
      const refused = 'the server responded with a status of 401';
      expect(problems.filter((p) => !p.includes(refused))).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

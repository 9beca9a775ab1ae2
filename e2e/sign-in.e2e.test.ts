import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEMO_STAFF, DEMO_STAFF_PASSWORD } from '../server/src/demo/demo-clinic.js';
import { launchBrowser, openPage, seriousAccessibilityProblems } from './support/browser.js';

const clinician = DEMO_STAFF.find((s) => s.role === 'clinician');

describe('staff sign-in in a real browser', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser.close());

  it('a demo clinician signs in, reaches the console, and signs out', async () => {
    if (!clinician) throw new Error('no demo clinician');
    const { context, page, problems } = await openPage(browser, 'en');
    try {
      await page.goto(`${baseUrl}/sign-in`);
      await page.getByLabel('E-mail address').fill(clinician.email);
      await page.getByLabel('Password').fill(DEMO_STAFF_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${baseUrl}/console`);
      await expect
        .poll(() => page.locator('header').innerText())
        .toContain(`Signed in as ${clinician.displayName}`);
      expect(await seriousAccessibilityProblems(page)).toEqual([]);

      const cookies = await context.cookies();
      const session = cookies.find((c) => c.name === 'safeconsult_session');
      expect(session?.httpOnly).toBe(true);
      expect(session?.sameSite).toBe('Strict');
      expect(await page.evaluate(() => document.cookie)).not.toContain('safeconsult_session');

      await page.reload();
      await expect.poll(() => page.locator('header').innerText()).toContain(clinician.displayName);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(`${baseUrl}/sign-in`);
      await page.goto(`${baseUrl}/console`);
      await expect.poll(() => page.getByRole('link', { name: 'Go to sign-in' }).count()).toBe(1);
      expect(problems, problems.join('\n')).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('says in plain words, in German too, when the password is wrong', async () => {
    if (!clinician) throw new Error('no demo clinician');
    const { context, page } = await openPage(browser, 'de');
    try {
      await page.goto(`${baseUrl}/sign-in`);
      await page.getByLabel('E-Mail-Adresse').fill(clinician.email);
      await page.getByLabel('Passwort').fill('not the right password');
      await page.getByRole('button', { name: 'Anmelden' }).click();
      await expect
        .poll(() => page.getByRole('alert').innerText())
        .toContain('E-Mail-Adresse oder Passwort stimmen nicht');
      expect(page.url()).toBe(`${baseUrl}/sign-in`);
      expect(await seriousAccessibilityProblems(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_STAFF, DEMO_STAFF_PASSWORD } from '../server/src/demo/demo-clinic.js';
import { authenticatorCode } from '../server/src/test-support/totp.js';
import { launchBrowser, openPage, seriousAccessibilityProblems } from './support/browser.js';

function demo(role: 'clinician' | 'front_desk') {
  const user = DEMO_STAFF.find((s) => s.role === role);
  if (!user) throw new Error(`no demo ${role}`);
  return user;
}

describe('staff sign-in in a real browser', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  /** Kept from the enrolment test for the recovery-code sign-in that follows it. */
  let recoveryCodes: string[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser.close());

  async function signInWithPassword(page: Page, email: string) {
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password').fill(DEMO_STAFF_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  }

  it('front desk signs in with a password, reaches the console, and signs out', async () => {
    const desk = demo('front_desk');
    const { context, page, problems } = await openPage(browser, 'en');
    try {
      await signInWithPassword(page, desk.email);
      await page.waitForURL(`${baseUrl}/console`);
      await expect
        .poll(() => page.locator('header').innerText())
        .toContain(`Signed in as ${desk.displayName}`);
      expect(await seriousAccessibilityProblems(page)).toEqual([]);

      const session = (await context.cookies()).find((c) => c.name === 'safeconsult_session');
      expect(session?.httpOnly).toBe(true);
      expect(session?.sameSite).toBe('Strict');
      expect(await page.evaluate(() => document.cookie)).not.toContain('safeconsult_session');

      await page.reload();
      await expect.poll(() => page.locator('header').innerText()).toContain(desk.displayName);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(`${baseUrl}/sign-in`);
      await page.goto(`${baseUrl}/console`);
      await expect.poll(() => page.getByRole('link', { name: 'Go to sign-in' }).count()).toBe(1);
      expect(problems, problems.join('\n')).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a clinician must set up an authenticator app at first sign-in (the test computes the code)', async () => {
    const clinician = demo('clinician');
    const { context, page, problems } = await openPage(browser, 'en');
    try {
      await signInWithPassword(page, clinician.email);
      await page.waitForURL(`${baseUrl}/sign-in/authenticator`);
      const secret = (await page.getByTestId('totp-secret').innerText()).replaceAll(' ', '');
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      await expect.poll(() => page.getByRole('img', { name: /QR code/ }).count()).toBe(1);
      expect(await seriousAccessibilityProblems(page)).toEqual([]);

      await page.getByLabel('Code from the app').fill(authenticatorCode(secret, new Date()));
      await page.getByRole('button', { name: 'Confirm and continue' }).click();
      await page.getByRole('heading', { name: 'Your recovery codes' }).waitFor();
      recoveryCodes = await page.locator('.recovery-codes code').allInnerTexts();
      expect(recoveryCodes).toHaveLength(10);
      await page.getByRole('link', { name: 'I have saved my codes' }).click();
      await page.waitForURL(`${baseUrl}/console`);
      await expect.poll(() => page.locator('header').innerText()).toContain(clinician.displayName);
      expect(problems, problems.join('\n')).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the clinician signs in again with a recovery code', async () => {
    const clinician = demo('clinician');
    const { context, page } = await openPage(browser, 'en');
    try {
      await signInWithPassword(page, clinician.email);
      await page.waitForURL(`${baseUrl}/sign-in/code`);
      expect(await seriousAccessibilityProblems(page)).toEqual([]);
      await page.getByLabel('Code from the app, or a recovery code').fill(recoveryCodes[0] ?? '');
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForURL(`${baseUrl}/console`);
      await expect.poll(() => page.locator('header').innerText()).toContain(clinician.displayName);
    } finally {
      await context.close();
    }
  });

  it('says in plain words, in German too, when the password is wrong', async () => {
    const { context, page } = await openPage(browser, 'de');
    try {
      await page.goto(`${baseUrl}/sign-in`);
      await page.getByLabel('E-Mail-Adresse').fill(demo('clinician').email);
      await page.getByLabel('Passwort').fill('not the right password');
      await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
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

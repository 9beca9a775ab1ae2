import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_STAFF, DEMO_STAFF_PASSWORD } from '../server/src/demo/demo-clinic.js';
import { authenticatorCode } from '../server/src/test-support/totp.js';
import { launchBrowser, openPage, seriousAccessibilityProblems } from './support/browser.js';

/** Enrols the authenticator the page asks for, as a person with an app would. */
async function enrolAuthenticator(page: Page) {
  const secret = (await page.getByTestId('totp-secret').innerText()).replaceAll(' ', '');
  await page.getByLabel('Code from the app').fill(authenticatorCode(secret, new Date()));
  await page.getByRole('button', { name: 'Confirm and continue' }).click();
  await page.getByRole('link', { name: 'I have saved my codes' }).click();
}

describe('inviting a member of staff, in a real browser', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser.close());

  it('an admin invites a clinician, who sets a password and enrols TOTP from the link', async () => {
    const admin = DEMO_STAFF.find((s) => s.role === 'admin');
    if (!admin) throw new Error('no demo admin');
    const adminTab = await openPage(browser, 'en');
    let link: string | undefined;
    try {
      const page = adminTab.page;
      await page.goto(`${baseUrl}/sign-in`);
      await page.getByLabel('E-mail address').fill(admin.email);
      await page.getByLabel('Password').fill(DEMO_STAFF_PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForURL(`${baseUrl}/sign-in/authenticator`);
      await enrolAuthenticator(page);
      await page.waitForURL(`${baseUrl}/console`);

      await page.goto(`${baseUrl}/admin`);
      await page.getByRole('heading', { name: 'Invite a member of staff' }).waitFor();
      await page.getByLabel('Name').fill('Dr. Lea Winter');
      await page.getByLabel('E-mail address').fill('lea.winter@riverside.example');
      await page.getByLabel('Role').selectOption('clinician');
      await page.getByRole('button', { name: 'Send invitation' }).click();
      await page.getByRole('status').filter({ hasText: 'Invitation sent' }).waitFor();
      await expect
        .poll(() => page.getByRole('cell', { name: 'lea.winter@riverside.example' }).count())
        .toBe(1);
      expect(await seriousAccessibilityProblems(page)).toEqual([]);

      await page.getByRole('link', { name: 'Outbox' }).click();
      const body = await page.locator('.message pre').first().innerText();
      link = /(http:\/\/\S+\/welcome#token=[\w-]+)/.exec(body)?.[1];
      expect(link).toBeDefined();
      expect(adminTab.problems, adminTab.problems.join('\n')).toEqual([]);
    } finally {
      await adminTab.context.close();
    }

    const invitee = await openPage(browser, 'en');
    try {
      const page = invitee.page;
      // The outbox writes links with the configured public address; the test server listens elsewhere.
      await page.goto(`${baseUrl}/welcome${link?.slice(link.indexOf('#')) ?? ''}`);
      await page.getByText('Account of Dr. Lea Winter (lea.winter@riverside.example).').waitFor();
      expect(page.url()).toBe(`${baseUrl}/welcome`); // the token left the address bar
      const password = page.getByLabel('New password');
      await password.fill('winter');
      await page.getByText(/Use at least 15 characters/).waitFor();
      await password.fill('winter lea riverside');
      await page.getByText(/Leave out "/).waitFor();
      expect(
        await page.getByRole('button', { name: 'Save password and sign in' }).isDisabled(),
      ).toBe(true);
      await password.fill('copper kettle meadow sunrise');
      await page.getByText("This password meets the clinic's policy.").waitFor();
      expect(await seriousAccessibilityProblems(page)).toEqual([]);
      await page.getByRole('button', { name: 'Save password and sign in' }).click();

      await page.waitForURL(`${baseUrl}/sign-in/authenticator`);
      await enrolAuthenticator(page);
      await page.waitForURL(`${baseUrl}/console`);
      await expect.poll(() => page.locator('header').innerText()).toContain('Dr. Lea Winter');
      expect(invitee.problems, invitee.problems.join('\n')).toEqual([]);
    } finally {
      await invitee.context.close();
    }
  });
});

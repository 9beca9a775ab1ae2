import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PATIENTS, DEMO_STAFF, DEMO_STAFF_PASSWORD } from '../server/src/demo/demo-clinic.js';
import { authenticatorCode } from '../server/src/test-support/totp.js';
import {
  checkDevices,
  launchBrowser,
  openPage,
  seriousAccessibilityProblems,
} from './support/browser.js';

/** Enrols the authenticator the page asks for, as a person with an app would; returns its secret. */
async function enrolAuthenticator(page: Page): Promise<string> {
  const secret = (await page.getByTestId('totp-secret').innerText()).replaceAll(' ', '');
  await page.getByLabel('Code from the app').fill(authenticatorCode(secret, new Date()));
  await page.getByRole('button', { name: 'Confirm and continue' }).click();
  await page.getByRole('link', { name: 'I have saved my codes' }).click();
  return secret;
}

describe('inviting a member of staff, in a real browser', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  /** The demo admin's authenticator, set up in the first test and used again in the second. */
  let adminSecret: string | undefined;
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
      adminSecret = await enrolAuthenticator(page);
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

  it('a patient joins the demo consult from the link in the outbox, after the date of birth', async () => {
    const admin = DEMO_STAFF.find((s) => s.role === 'admin');
    const patient = DEMO_PATIENTS[0]?.patient;
    if (!admin || !adminSecret || !patient?.birthDate) throw new Error('run after the first test');
    const adminTab = await openPage(browser, 'en');
    let link: string | undefined;
    try {
      const page = adminTab.page;
      await page.goto(`${baseUrl}/sign-in`);
      await page.getByLabel('E-mail address').fill(admin.email);
      await page.getByLabel('Password').fill(DEMO_STAFF_PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForURL(`${baseUrl}/sign-in/code`);
      // The next time step's code: the current one was spent at enrolment and is never accepted twice.
      await page
        .getByLabel('Code from the app, or a recovery code')
        .fill(authenticatorCode(adminSecret, new Date(Date.now() + 30_000)));
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForURL(`${baseUrl}/console`);
      await page.goto(`${baseUrl}/admin/outbox`);
      const message = page.locator('.message', { hasText: 'maria.schneider@mail.example' });
      link = /(http:\/\/\S+\/join#token=[\w-]+)/.exec(
        await message.locator('pre').innerText(),
      )?.[1];
      expect(link).toBeDefined();
    } finally {
      await adminTab.context.close();
    }

    const tab = await openPage(browser, 'en');
    try {
      const { page } = tab;
      await page.goto(link ?? '');
      await page
        .getByRole('heading', { name: /Video consultation with Dr\. Amara Okafor/ })
        .waitFor();
      expect(page.url()).toBe(`${baseUrl}/join`); // the token left the address bar
      expect(await seriousAccessibilityProblems(page)).toEqual([]);
      // Devices and consent come before the identity check (the consult room's own test covers them).
      await checkDevices(page);
      await page.getByLabel('I have read this and agree to the video consultation.').check();
      await page.getByRole('button', { name: 'Agree and continue' }).click();
      await page.getByLabel("The patient's date of birth").fill('1970-01-01');
      await page.getByRole('button', { name: 'Go to the waiting room' }).click();
      await page
        .getByText('The date of birth does not match. Please check it (4 tries left).')
        .waitFor();
      await page.getByLabel("The patient's date of birth").fill(patient.birthDate);
      await page.getByRole('button', { name: 'Go to the waiting room' }).click();
      await page.getByRole('heading', { name: 'You are in the waiting room' }).waitFor();
      await page.getByText('Dr. Amara Okafor will let you in.').waitFor();
      expect(await seriousAccessibilityProblems(page)).toEqual([]);

      // A reload keeps the place in the waiting room: the session, not the spent link, carries it.
      await page.reload();
      await page.getByRole('heading', { name: 'You are in the waiting room' }).waitFor();
      await page.getByRole('button', { name: 'Leave' }).click();
      await page.getByText('You have left the waiting room.', { exact: false }).waitFor();
      // The identity check failure is an expected 401 the page explains; nothing else went wrong.
      expect(tab.problems.filter((p) => !p.includes('401'))).toEqual([]);
    } finally {
      await tab.context.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_STAFF, DEMO_STAFF_PASSWORD } from '../server/src/demo/demo-clinic.js';
import { authenticatorCode } from '../server/src/test-support/totp.js';
import {
  launchBrowser,
  openPage,
  seriousAccessibilityProblems,
  virtualAuthenticators,
} from './support/browser.js';

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1';
const WINDOWS_FIREFOX =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:141.0) Gecko/20100101 Firefox/141.0';

function demo(role: 'front_desk' | 'security_officer' | 'clinician', index = 0) {
  const user = DEMO_STAFF.filter((s) => s.role === role)[index];
  if (!user) throw new Error(`no demo ${role}`);
  return user;
}

describe('the account and sign-in activity pages in a real browser', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser.close());

  /** Signs in from another device, as the API sees it: returns that session's cookie. */
  async function signInElsewhere(email: string, userAgent: string, password = DEMO_STAFF_PASSWORD) {
    const res = await fetch(`${baseUrl}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': userAgent },
      body: JSON.stringify({ email, password }),
    });
    return { status: res.status, cookie: res.headers.getSetCookie()[0]?.split(';', 1)[0] ?? '' };
  }

  const stillSignedIn = async (cookie: string) =>
    (await fetch(`${baseUrl}/api/auth/sessions`, { headers: { cookie } })).status === 200;

  async function signIn(page: Page, email: string) {
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password').fill(DEMO_STAFF_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  }

  async function expectAccessible(page: Page) {
    const findings = await seriousAccessibilityProblems(page);
    expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);
  }

  async function switchToGerman(page: Page) {
    await page.getByLabel('Language').selectOption('de');
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('de');
  }

  it('a member of staff sees their account and ends their other sessions', async () => {
    const desk = demo('front_desk');
    const phone = await signInElsewhere(desk.email, IPHONE);
    expect(phone.status).toBe(200);
    const { context, page, problems } = await openPage(browser, 'en');
    try {
      await signIn(page, desk.email);
      await page.waitForURL(`${baseUrl}/console`);
      await page.getByRole('link', { name: 'Your account' }).click();
      await page.waitForURL(`${baseUrl}/account`);
      await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
      const facts = page.locator('dl.facts').first();
      await expect.poll(() => facts.innerText()).toContain(desk.email);
      expect(await facts.innerText()).toMatch(/Role\s+Front desk/);
      expect(await page.locator('dl.facts').nth(1).innerText()).toMatch(
        /Authenticator app\s+Not set up/,
      );

      // A passkey as her first second factor comes with recovery codes; her role needs no second
      // factor, so she may remove it again.
      await (await virtualAuthenticators(page)).add();
      await page.getByText('You have no passkeys yet.').waitFor();
      await page.getByLabel('Name for this passkey').fill('Front desk PC');
      await page.getByRole('button', { name: 'Create a passkey' }).click();
      await page.getByRole('status').filter({ hasText: 'Passkey “Front desk PC” added' }).waitFor();
      expect(
        await page.getByRole('list', { name: 'Your recovery codes' }).getByRole('listitem').count(),
      ).toBe(10);
      const passkeys = page.getByRole('table', { name: /^Your passkeys/ });
      await passkeys.getByRole('row', { name: /Front desk PC/ }).waitFor();
      await expectAccessible(page);
      await passkeys.getByRole('button', { name: 'Remove', exact: true }).click();
      await page
        .getByRole('status')
        .filter({ hasText: 'Passkey “Front desk PC” removed' })
        .waitFor();
      await page.getByText('You have no passkeys yet.').waitFor();
      expect(await passkeys.count()).toBe(0);

      const rows = page.locator('tbody tr');
      const iphoneRow = rows.filter({ hasText: 'Safari on iPhone' });
      await iphoneRow.waitFor();
      const thisDevice = rows.filter({ hasText: 'this device' });
      expect(await thisDevice.getByRole('rowheader').innerText()).toContain('Chrome on Linux');
      await expectAccessible(page);

      await iphoneRow.getByRole('button', { name: 'End session', exact: true }).click();
      await page.getByRole('status').filter({ hasText: 'The session has ended' }).waitFor();
      await expect.poll(() => iphoneRow.count()).toBe(0);
      expect(await stillSignedIn(phone.cookie)).toBe(false);

      const laptops = [
        await signInElsewhere(desk.email, WINDOWS_FIREFOX),
        await signInElsewhere(desk.email, WINDOWS_FIREFOX),
      ];
      await page.reload();
      await rows.filter({ hasText: 'Firefox on Windows' }).nth(1).waitFor();
      const others = (await rows.count()) - 1;
      await page.getByRole('button', { name: 'End all other sessions' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Other sessions ended: ${others}.` })
        .waitFor();
      await expect.poll(() => rows.count()).toBe(1);
      for (const laptop of laptops) expect(await stillSignedIn(laptop.cookie)).toBe(false);
      expect(await page.getByRole('button', { name: 'End all other sessions' }).count()).toBe(0);

      await switchToGerman(page);
      await page.getByRole('heading', { level: 1, name: 'Ihr Konto' }).waitFor();
      expect(await thisDevice.count()).toBe(0);
      await rows.filter({ hasText: 'dieses Gerät' }).waitFor();
      await expectAccessible(page);

      await page.getByRole('button', { name: 'Sitzung beenden und abmelden' }).click();
      await page.waitForURL(`${baseUrl}/sign-in`);
      await page.getByRole('link', { name: 'Anmeldung', exact: true }).waitFor();
      expect(problems, problems.join('\n')).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the security officer sees their own sections and reads the sign-in activity', async () => {
    const clinician = demo('clinician', 1);
    expect((await signInElsewhere(clinician.email, IPHONE, 'not the password')).status).toBe(401);
    const officer = demo('security_officer');
    const { context, page, problems } = await openPage(browser, 'en');
    try {
      await signIn(page, officer.email);
      await page.waitForURL(`${baseUrl}/sign-in/authenticator`);
      const secret = (await page.getByTestId('totp-secret').innerText()).replaceAll(' ', '');
      await page.getByLabel('Code from the app').fill(authenticatorCode(secret, new Date()));
      await page.getByRole('button', { name: 'Confirm and continue' }).click();
      await page.getByRole('link', { name: 'I have saved my codes' }).click();
      await page.waitForURL(`${baseUrl}/console`);

      await page.goto(`${baseUrl}/account`);
      await expect
        .poll(() => page.locator('dl.facts').nth(1).innerText())
        .toMatch(/Authenticator app\s+Set up/);

      // Locking an account takes 100 failures with growing waits between them: too slow for a
      // test. The staff list the page reads is changed on its way instead, to show the lock.
      await page.route('**/api/admin/staff', async (route) => {
        const response = await route.fetch();
        const json = (await response.json()) as { staff: { email: string; lockedAt: unknown }[] };
        for (const s of json.staff) if (s.email === clinician.email) s.lockedAt = new Date();
        await route.fulfill({ response, json });
      });
      await page.getByRole('link', { name: 'Administration' }).click();
      const sections = page.getByRole('navigation', { name: 'Administration sections' });
      await sections.getByRole('link', { name: 'Sign-in activity' }).click();
      await page.waitForURL(`${baseUrl}/admin/sign-ins`);
      expect(await sections.getByRole('link').allInnerTexts()).toEqual([
        'Users',
        'Sign-in security',
        'Access policy',
        'Who can reach a patient',
        'Emergency access',
        'Audit trail',
        'Alerts',
        'Incidents',
        'Sign-in activity',
        'External services',
      ]);

      const rows = page.locator('tbody tr');
      const wrongPassword = rows.filter({ hasText: 'Wrong password' });
      await wrongPassword.first().waitFor();
      expect(await wrongPassword.first().innerText()).toContain(clinician.displayName);
      expect(await wrongPassword.first().innerText()).toContain(clinician.email);
      const locked = page.getByRole('region', { name: 'Locked accounts' });
      expect(await locked.getByRole('listitem').innerText()).toContain(clinician.email);
      expect(await locked.getByRole('link', { name: 'Go to Users' }).getAttribute('href')).toBe(
        '/admin',
      );
      expect(await wrongPassword.first().locator('.badge').innerText()).toBe('locked');
      // The front desk's sessions, ended in the test before.
      expect(await rows.filter({ hasText: 'Ended their other sessions' }).count()).toBeGreaterThan(
        0,
      );
      await expectAccessible(page);

      await page.getByLabel('Failures and locks only').check();
      await expect.poll(() => rows.filter({ hasText: 'Signed in' }).count()).toBe(0);
      expect(await wrongPassword.count()).toBeGreaterThan(0);
      await page
        .getByLabel('Account', { exact: true })
        .selectOption({ label: clinician.displayName });
      await expect
        .poll(async () => (await rows.allInnerTexts()).every((r) => r.includes(clinician.email)))
        .toBe(true);
      await page.getByRole('status').filter({ hasText: 'Events shown:' }).waitFor();

      await switchToGerman(page);
      await page.getByRole('heading', { level: 1, name: 'Anmeldeaktivität' }).waitFor();
      await wrongPassword.waitFor({ state: 'detached' });
      await rows.filter({ hasText: 'Falsches Passwort' }).first().waitFor();
      await expectAccessible(page);

      // The sign-in policy, each rule with its reason; the officer adopts a change.
      await page.getByRole('link', { name: 'Anmeldesicherheit', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Anmeldesicherheit' }).waitFor();
      await page.getByText('Version 1, bei der Installation').waitFor();
      await expectAccessible(page);
      await page.getByLabel('Abmelden nach Inaktivität (Minuten)').fill('20');
      await page.getByRole('button', { name: 'Diese Richtlinie einführen' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: 'Die neue Richtlinie gilt ab sofort.' })
        .waitFor();
      await page.getByText('Version 2, eingeführt').waitFor();
      expect(problems, problems.join('\n')).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

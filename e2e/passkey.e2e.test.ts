import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEMO_STAFF, DEMO_STAFF_PASSWORD } from '../server/src/demo/demo-clinic.js';
import {
  launchBrowser,
  openPage,
  seriousAccessibilityProblems,
  virtualAuthenticators,
} from './support/browser.js';

describe('passkeys, with Chromium’s virtual authenticator', () => {
  const baseUrl = inject('baseUrl');
  // The second demo clinician: the other browser tests leave her account alone.
  const clinician = DEMO_STAFF.filter((s) => s.role === 'clinician')[1];
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser.close());

  it('a clinician registers a passkey at first sign-in, signs in with it alone and replaces it from her account page', async () => {
    if (!clinician) throw new Error('no second demo clinician');
    const tab = await openPage(browser, 'en');
    try {
      const { page } = tab;
      const { devtools, add: addDevice } = await virtualAuthenticators(page);
      const authenticatorId = await addDevice();

      await page.goto(`${baseUrl}/sign-in`);
      await page.getByLabel('E-mail address').fill(clinician.email);
      await page.getByLabel('Password').fill(DEMO_STAFF_PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForURL(`${baseUrl}/sign-in/authenticator`);
      await page.getByRole('heading', { name: 'A passkey' }).waitFor();
      expect(await seriousAccessibilityProblems(page)).toEqual([]);
      await page.getByLabel('Name for this passkey').fill('Consulting room PC');
      await page.getByRole('button', { name: 'Create a passkey' }).click();
      await page.getByRole('heading', { name: 'Your recovery codes' }).waitFor();
      const { credentials } = await devtools.send('WebAuthn.getCredentials', { authenticatorId });
      expect(credentials).toHaveLength(1);
      expect(credentials[0]?.isResidentCredential).toBe(true);
      expect(credentials[0]?.rpId).toBe('localhost');
      await page.getByRole('link', { name: 'I have saved my codes' }).click();
      await page.waitForURL(`${baseUrl}/console`);

      // Signing out and back in: a password now leads to the passkey step…
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(`${baseUrl}/sign-in`);
      await page.getByLabel('E-mail address').fill(clinician.email);
      await page.getByLabel('Password').fill(DEMO_STAFF_PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForURL(`${baseUrl}/sign-in/code`);
      expect(await seriousAccessibilityProblems(page)).toEqual([]);
      await page.getByRole('button', { name: 'Use my passkey' }).click();
      await page.waitForURL(`${baseUrl}/console`);

      // …and the passkey alone, with no e-mail address or password typed, signs in too.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(`${baseUrl}/sign-in`);
      await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
      await page.waitForURL(`${baseUrl}/console`);
      await page.getByText(clinician.displayName).first().waitFor();
      const { credentials: after } = await devtools.send('WebAuthn.getCredentials', {
        authenticatorId,
      });
      expect(after[0]?.signCount).toBeGreaterThanOrEqual(2);

      // Her account page lists the passkey, and will not remove it while it is her only factor.
      await page.getByRole('link', { name: 'Your account' }).click();
      await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
      expect(await page.locator('dl.facts').nth(1).innerText()).toMatch(
        /Authenticator app\s+Not set up/,
      );
      const passkeys = page.getByRole('table', { name: /^Your passkeys/ });
      const oldDevice = passkeys.getByRole('row', { name: /Consulting room PC/ });
      await oldDevice.waitFor();
      expect(await oldDevice.innerText()).not.toContain('Not yet'); // she signed in with it
      expect(await seriousAccessibilityProblems(page)).toEqual([]);
      await oldDevice.getByRole('button', { name: 'Remove', exact: true }).click();
      await page
        .getByRole('alert')
        .filter({ hasText: 'You cannot remove your only passkey' })
        .waitFor();
      expect(await passkeys.getByRole('row').count()).toBe(2); // the header and her passkey

      // A new device: she adds its passkey, then removes the old one.
      await devtools.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
      const newDeviceId = await addDevice();
      await page.getByLabel('Name for this passkey').fill('Home laptop');
      await page.getByRole('button', { name: 'Create a passkey' }).click();
      await page.getByRole('status').filter({ hasText: 'Passkey “Home laptop” added' }).waitFor();
      const newDevice = passkeys.getByRole('row', { name: /Home laptop/ });
      await newDevice.waitFor();
      expect(await newDevice.innerText()).toContain('Not yet');
      expect(await seriousAccessibilityProblems(page)).toEqual([]);
      await oldDevice.getByRole('button', { name: 'Remove', exact: true }).click();
      await page
        .getByRole('status')
        .filter({ hasText: 'Passkey “Consulting room PC” removed' })
        .waitFor();
      await expect.poll(() => oldDevice.count()).toBe(0);
      expect(await newDevice.count()).toBe(1);

      // The new passkey alone signs her in.
      await page.getByRole('button', { name: 'Sign out', exact: true }).click();
      await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
      await page.waitForURL(`${baseUrl}/console`);
      const { credentials: onNewDevice } = await devtools.send('WebAuthn.getCredentials', {
        authenticatorId: newDeviceId,
      });
      expect(onNewDevice[0]?.signCount).toBeGreaterThanOrEqual(1);
      // The refusal to remove her only passkey is the one failed request.
      const refused = 'the server responded with a status of 409';
      expect(tab.problems.filter((p) => !p.includes(refused))).toEqual([]);
    } finally {
      await tab.context.close();
    }
  });
});

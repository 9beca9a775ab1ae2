import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEMO_STAFF, DEMO_STAFF_PASSWORD } from '../server/src/demo/demo-clinic.js';
import { launchBrowser, openPage, seriousAccessibilityProblems } from './support/browser.js';

describe('passkeys, with Chromium’s virtual authenticator', () => {
  const baseUrl = inject('baseUrl');
  // The second demo clinician: the other browser tests leave her account alone.
  const clinician = DEMO_STAFF.filter((s) => s.role === 'clinician')[1];
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser.close());

  it('a clinician registers a passkey at first sign-in and then signs in with it alone', async () => {
    if (!clinician) throw new Error('no second demo clinician');
    const tab = await openPage(browser, 'en');
    try {
      const { page } = tab;
      // A platform authenticator with a fingerprint reader that always recognises its owner.
      const devtools = await tab.context.newCDPSession(page);
      await devtools.send('WebAuthn.enable');
      const { authenticatorId } = await devtools.send('WebAuthn.addVirtualAuthenticator', {
        options: {
          protocol: 'ctap2',
          transport: 'internal',
          hasResidentKey: true,
          hasUserVerification: true,
          isUserVerified: true,
          automaticPresenceSimulation: true,
        },
      });

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
      expect(tab.problems, tab.problems.join('\n')).toEqual([]);
    } finally {
      await tab.context.close();
    }
  });
});

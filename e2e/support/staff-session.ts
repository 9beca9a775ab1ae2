import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_STAFF, DEMO_STAFF_PASSWORD } from '../../server/src/demo/demo-clinic.js';
import { authenticatorCode } from '../../server/src/test-support/totp.js';
import { seriousAccessibilityProblems } from './browser.js';

/**
 * Signs a demo staff member in with the password and sets up an authenticator app, as a first
 * sign-in asks; ends on the console.
 */
export async function signInFirstTime(page: Page, baseUrl: string, email: string) {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(DEMO_STAFF_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL(`${baseUrl}/sign-in/authenticator`);
  const secret = (await page.getByTestId('totp-secret').innerText()).replaceAll(' ', '');
  await page.getByLabel('Code from the app').fill(authenticatorCode(secret, new Date()));
  await page.getByRole('button', { name: 'Confirm and continue' }).click();
  await page.getByRole('link', { name: 'I have saved my codes' }).click();
  await page.waitForURL(`${baseUrl}/console`);
}

/** Fails with axe's serious and critical findings for the page as it is now, if any. */
export async function expectAccessible(page: Page) {
  const findings = await seriousAccessibilityProblems(page);
  expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);
}

/** A demo member of staff by the start of their e-mail address. */
export function demoStaff(email: string) {
  const user = DEMO_STAFF.find((s) => s.email.startsWith(email));
  if (!user) throw new Error(`no demo ${email}`);
  return user;
}

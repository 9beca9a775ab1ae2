import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PATIENTS, DEMO_STAFF_PASSWORD } from '../server/src/demo/demo-clinic.js';
import { authenticatorCode } from '../server/src/test-support/totp.js';
import {
  checkDevices,
  launchBrowser,
  openPage,
  seriousAccessibilityProblems,
} from './support/browser.js';
import { startDemoServer, type DemoServer } from './support/demo-server.js';
import { demoStaff } from './support/staff-session.js';

/** On Maria Schneider's care team, and her clinician in the demo consult. */
const CLINICIAN = demoStaff('amara.');
const ADMIN = demoStaff('alex.');
const OFFICER = demoStaff('priya.');
const MARIA = DEMO_PATIENTS[0]!.patient;
const MARIA_NAME = `${MARIA.name?.[0]?.given?.join(' ')} ${MARIA.name?.[0]?.family}`;

describe('who has looked at a patient’s record, in a real browser', () => {
  // Its own server: these tests sign in as demo staff whose second factors other files set up.
  let server: DemoServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startDemoServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser.close();
    await server.stop();
  });

  /** Signs in with the password and sets up an authenticator app, as a first sign-in asks. */
  async function signIn(page: Page, email: string) {
    await page.goto(`${server.baseUrl}/sign-in`);
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password').fill(DEMO_STAFF_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`${server.baseUrl}/sign-in/authenticator`);
    const secret = (await page.getByTestId('totp-secret').innerText()).replaceAll(' ', '');
    await page.getByLabel('Code from the app').fill(authenticatorCode(secret, new Date()));
    await page.getByRole('button', { name: 'Confirm and continue' }).click();
    await page.getByRole('link', { name: 'I have saved my codes' }).click();
    await page.waitForURL(`${server.baseUrl}/console`);
  }

  async function expectAccessible(page: Page) {
    const findings = await seriousAccessibilityProblems(page);
    expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);
  }

  it('a patient joins by link and sees the clinician who read their record earlier, and why', async () => {
    const clinician = await openPage(browser, 'en');
    try {
      const { page } = clinician;
      await signIn(page, CLINICIAN.email);
      await page.goto(`${server.baseUrl}/console/patients/${MARIA.id!}`);
      await page.getByRole('heading', { level: 1, name: MARIA_NAME }).waitFor();
      await page.getByRole('region', { name: 'Allergies' }).getByRole('cell').first().waitFor();
      expect(clinician.problems).toEqual([]);
    } finally {
      await clinician.context.close();
    }

    let link: string | undefined;
    const admin = await openPage(browser, 'en');
    try {
      await signIn(admin.page, ADMIN.email);
      await admin.page.goto(`${server.baseUrl}/admin/outbox`);
      const message = admin.page.locator('.message', { hasText: 'maria.schneider@mail.example' });
      const body = await message.locator('pre').innerText();
      link = /(http:\/\/\S+\/join#token=[\w-]+)/.exec(body)?.[1];
    } finally {
      await admin.context.close();
    }
    expect(link).toBeDefined();

    const patient = await openPage(browser, 'en');
    try {
      const { page } = patient;
      await page.goto(link ?? '');
      await checkDevices(page);
      await page.getByLabel('I have read this and agree to the video consultation.').check();
      await page.getByRole('button', { name: 'Agree and continue' }).click();
      await page.getByLabel("The patient's date of birth").fill(MARIA.birthDate ?? '');
      await page.getByRole('button', { name: 'Go to the waiting room' }).click();
      await page.getByRole('heading', { name: 'You are in the waiting room' }).waitFor();
      const history = page.getByRole('region', { name: 'Who has looked at your record' });
      const entry = history.getByRole('listitem').filter({ hasText: CLINICIAN.displayName });
      await entry.waitFor();
      const text = await entry.innerText();
      expect(text).toContain(`${CLINICIAN.displayName}, Clinician`);
      expect(text).toMatch(/Looked at: .*Allergies/);
      expect(text).toContain('Why: a member of your care team');
      await expectAccessible(page);

      await page.getByLabel('Language').selectOption('de');
      const german = page.getByRole('region', { name: 'Wer Ihre Akte angesehen hat' });
      await german.getByText('Warum: gehört zu Ihrem Behandlungsteam').waitFor();
      await expectAccessible(page);
      expect(patient.problems).toEqual([]);
    } finally {
      await patient.context.close();
    }
  });

  it('the security officer sees who did reach the patient and downloads the ledger as AuditEvents', async () => {
    const { context, page, problems } = await openPage(browser, 'en');
    try {
      await signIn(page, OFFICER.email);
      await page.goto(`${server.baseUrl}/admin/reach`);
      await page.getByLabel('Medical record number').fill(MARIA.identifier?.[0]?.value ?? '');
      await page.getByRole('button', { name: 'Show who can reach this patient' }).click();
      const did = page.getByRole('region', { name: 'Who did reach this patient' });
      const entry = did.getByRole('listitem').filter({ hasText: CLINICIAN.displayName });
      await entry.waitFor();
      expect(await entry.innerText()).toContain("on the patient's care team (care-team)");
      await expectAccessible(page);

      await page.goto(`${server.baseUrl}/admin/sign-ins`);
      const exporter = page.getByRole('region', { name: 'Export for a SIEM' });
      await exporter.waitFor();
      await expectAccessible(page);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        exporter.getByRole('button', { name: 'Download AuditEvents' }).click(),
      ]);
      await exporter.getByRole('status').filter({ hasText: 'AuditEvents exported:' }).waitFor();
      const lines = (await readFile(await download.path(), 'utf8')).split('\n').filter(Boolean);
      const events = lines.map((line) => JSON.parse(line) as { resourceType: string });
      expect(events.length).toBeGreaterThan(0);
      expect(events.every((e) => e.resourceType === 'AuditEvent')).toBe(true);
      expect(lines.some((l) => l.includes(`Practitioner/${CLINICIAN.id}`))).toBe(true);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PATIENTS, DEMO_STAFF } from '../server/src/demo/demo-clinic.js';
import { launchBrowser, openPage } from './support/browser.js';
import { startDemoServer, type DemoServer } from './support/demo-server.js';
import { expectAccessible, signInFirstTime } from './support/staff-session.js';

const demoStaff = (email: string) => DEMO_STAFF.find((s) => s.email.startsWith(email))!;
const CLINICIAN = demoStaff('jonas.');
const OFFICER = demoStaff('priya.');
/** Not on Dr. Becker's care team: he reaches her record only in an emergency. */
const MARIA_MRN = DEMO_PATIENTS.find((p) => p.patient.name?.[0]?.family === 'Schneider')!.patient
  .identifier![0]!.value!;

describe('the security officer follows an alert to its entries and opens an incident', () => {
  // Its own server, with the alert rules running every second rather than every minute.
  let server: DemoServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startDemoServer({ env: { AUDIT_ALERT_EVERY_SECONDS: '1' } }),
      launchBrowser(),
    ]);
  });
  afterAll(async () => {
    await browser.close();
    await server.stop();
  });

  const signIn = (page: Page, email: string) => signInFirstTime(page, server.baseUrl, email);

  it('from a clinician’s emergency access to the incident’s 72-hour clock', async () => {
    const clinician = await openPage(browser, 'en');
    try {
      await signIn(clinician.page, CLINICIAN.email);
      await clinician.page.goto(`${server.baseUrl}/console/patients`);
      await clinician.page.getByLabel('Medical record number').fill(MARIA_MRN);
      await clinician.page.getByRole('button', { name: 'Find', exact: true }).click();
      const emergency = clinician.page.getByRole('region', { name: 'Emergency access' });
      await emergency
        .getByLabel('Why is this an emergency?')
        .fill('Collapsed in the waiting room; need her allergies now.');
      await emergency.getByRole('button', { name: 'Open the record in an emergency' }).click();
      await clinician.page.locator('.emergency-banner').waitFor();
    } finally {
      await clinician.context.close();
    }

    const { context, page, problems } = await openPage(browser, 'en');
    try {
      await signIn(page, OFFICER.email);
      await page.goto(`${server.baseUrl}/admin`);
      const sections = page.getByRole('navigation', { name: 'Administration sections' });
      await sections.getByRole('link', { name: 'Alerts' }).click();
      const alert = page.getByRole('article', { name: /^Emergency access/ });
      // The rules run every second; the page shows what was raised when it loaded.
      for (let tries = 0; (await alert.count()) === 0 && tries < 10; tries++) {
        await page.waitForTimeout(500);
        await page.reload();
        await page.getByRole('heading', { level: 1, name: 'Alerts' }).waitFor();
      }
      expect(await alert.innerText()).toContain(
        `${CLINICIAN.displayName} asserted emergency access to a patient’s record.`,
      );
      await expectAccessible(page);

      await alert.getByRole('link', { name: 'Show its entries in the audit trail (1)' }).click();
      await page.getByRole('heading', { level: 1, name: 'Audit trail' }).waitFor();
      const entry = page.locator('.timeline-entry');
      await entry.first().waitFor();
      expect(await entry.count()).toBe(1);
      expect(await entry.innerText()).toMatch(
        new RegExp(`Emergency access to a patient asserted[\\s\\S]*By ${CLINICIAN.displayName}`),
      );
      expect(page.url()).toMatch(/\/admin\/audit\?ids=\d+$/);
      await expectAccessible(page);

      // The filters live in the address: the clinician's refusals, on their own.
      const allIds = page.getByRole('link', {
        name: 'Show every entry that passes the other filters',
      });
      await allIds.click();
      // The form is drawn anew for the new address; choosing before that would be undone.
      await allIds.waitFor({ state: 'detached' });
      await page.getByLabel('Person', { exact: true }).selectOption({
        label: `${CLINICIAN.displayName} (Clinician)`,
      });
      await page.getByLabel('Outcome').selectOption('refused');
      await page.getByRole('button', { name: 'Show entries' }).click();
      await page.waitForURL(new RegExp(`/admin/audit\\?user=${CLINICIAN.id}&outcome=refused$`));
      await page
        .getByRole('status')
        .filter({ hasText: /Entries shown: [1-9]/ })
        .waitFor();
      for (const text of await entry.allInnerTexts()) {
        expect(text).toMatch(new RegExp(`Refused[\\s\\S]*By ${CLINICIAN.displayName}`));
      }

      await sections.getByRole('link', { name: 'Alerts' }).click();
      await alert.getByRole('link', { name: 'Open an incident' }).click();
      await page.getByRole('heading', { level: 1, name: 'Open an incident' }).waitFor();
      await page.getByLabel('Title').fill('Emergency access without a documented emergency');
      await page
        .getByLabel('Scope')
        .fill('One record opened by emergency access; allergies and medication were read.');
      await expectAccessible(page);
      await page.getByRole('button', { name: 'Open the incident' }).click();

      await page
        .getByRole('heading', { level: 1, name: /^Incident 1: Emergency access/ })
        .waitFor();
      const authority = page.getByRole('region', { name: /^Supervisory authority/ });
      const timer = authority.getByRole('timer');
      const first = await timer.innerText();
      expect(first).toMatch(/^(71 hours, 59 minutes(, \d+ seconds?)?|72 hours) left$/);
      await page.waitForTimeout(1500);
      expect(await timer.innerText()).not.toBe(first);
      // Due 72 hours after opening, shown on the demo clinic's clock.
      const dueDay = new Intl.DateTimeFormat('en', {
        dateStyle: 'medium',
        timeZone: 'Europe/Berlin',
      }).format(Date.now() + 72 * 3_600_000);
      expect(await authority.innerText()).toMatch(/GDPR art\. 33/);
      expect(await authority.innerText()).toContain(`Due ${dueDay}`);
      const individuals = page.getByRole('region', { name: /^Individuals affected/ });
      expect(await individuals.getByRole('timer').innerText()).toMatch(/^(59|60) days/);
      await expectAccessible(page);

      await page.getByLabel('Language').selectOption('de');
      await page
        .getByRole('region', { name: /^Aufsichtsbehörde/ })
        .getByText(/^Noch /)
        .waitFor();
      await expectAccessible(page);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

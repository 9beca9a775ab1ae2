import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PATIENTS } from '../server/src/demo/demo-clinic.js';
import { launchBrowser, openPage } from './support/browser.js';
import { startDemoServer, type DemoServer } from './support/demo-server.js';
import { demoStaff, expectAccessible, signInFirstTime } from './support/staff-session.js';

function demoPatient(family: string) {
  const found = DEMO_PATIENTS.find((p) => p.patient.name?.[0]?.family === family)?.patient;
  const mrn = found?.identifier?.[0]?.value;
  if (!found || !mrn) throw new Error(`no demo patient ${family}`);
  return { name: `${found.name?.[0]?.given?.join(' ')} ${family}`, mrn };
}

/** On Daniel Okoro's care team; not on Maria Schneider's. */
const CLINICIAN = demoStaff('jonas.');
const OFFICER = demoStaff('priya.');
const DANIEL = demoPatient('Okoro');
const MARIA = demoPatient('Schneider');

/** A refused section answers 404, which the browser reports as a console error. */
const REFUSED = 'the server responded with a status of 404';

describe('patient records and the access review, in a real browser', () => {
  // Its own server: these tests sign in as the demo clinician and security officer, whose second
  // factors the other browser test files set up on the shared one.
  let server: DemoServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startDemoServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser.close();
    await server.stop();
  });

  const signIn = (page: Page, email: string) => signInFirstTime(page, server.baseUrl, email);

  it('a clinician reads the record of a patient they care for, and opens another in an emergency', async () => {
    const { context, page, problems } = await openPage(browser, 'en');
    try {
      await signIn(page, CLINICIAN.email);
      await page
        .getByRole('navigation', { name: 'Console sections' })
        .getByRole('link', { name: 'Patients' })
        .click();
      const danielRow = page.getByRole('row', { name: new RegExp(DANIEL.name) });
      await danielRow.waitFor();
      expect(await danielRow.innerText()).toContain('Care team');
      expect(await danielRow.innerText()).toContain(DANIEL.mrn);
      expect(await page.getByRole('row', { name: new RegExp(MARIA.name) }).count()).toBe(0);
      await expectAccessible(page);

      await danielRow.getByRole('link', { name: DANIEL.name }).click();
      await page.getByRole('heading', { level: 1, name: DANIEL.name }).waitFor();
      const problemsSection = page.getByRole('region', { name: 'Problems' });
      await problemsSection.getByRole('cell', { name: 'Asthma' }).waitFor();
      expect(await problemsSection.innerText()).toMatch(/Asthma\s+Active\s+Sep 15, 2003/);
      const allergies = page.getByRole('region', { name: 'Allergies' });
      await allergies.getByRole('cell', { name: 'Anaphylaxis (severe)' }).waitFor();
      expect(await page.getByText('care-team', { exact: true }).count()).toBeGreaterThan(0);
      await page
        .getByRole('region', { name: 'Care team' })
        .getByText(CLINICIAN.displayName)
        .waitFor();
      await expectAccessible(page);

      // Not on Maria Schneider's care team: the look-up offers emergency access.
      await page.getByRole('link', { name: 'Patients', exact: true }).click();
      await page.getByLabel('Medical record number').fill(MARIA.mrn);
      await page.getByRole('button', { name: 'Find', exact: true }).click();
      const emergency = page.getByRole('region', { name: 'Emergency access' });
      await emergency.getByText('The security officer is alerted at once.').waitFor();
      await expectAccessible(page);
      await emergency
        .getByLabel('Why is this an emergency?')
        .fill('Collapsed in the waiting room; need her allergies and medication now.');
      await emergency.getByRole('button', { name: 'Open the record in an emergency' }).click();

      await page.getByRole('heading', { level: 1, name: MARIA.name }).waitFor();
      const banner = page.locator('.emergency-banner');
      expect(await banner.innerText()).toMatch(/Time left: (1 hour|\d+ minutes)/);
      await page
        .getByRole('region', { name: 'Allergies' })
        .getByRole('cell', { name: 'Penicillin' })
        .waitFor();
      await expectAccessible(page);

      await page.getByLabel('Language').selectOption('de');
      await page.getByRole('heading', { name: 'Über den Notfallzugriff geöffnet' }).waitFor();
      expect(await banner.innerText()).toMatch(/Verbleibend: (1 Stunde|\d+ Minuten)/);
      await page
        .getByRole('region', { name: 'Allergien' })
        .getByRole('cell', { name: 'Hoch' })
        .waitFor();
      await expectAccessible(page);
      // Emergency access opens the record, not the care team or consent: those two are refused.
      expect(problems.filter((p) => !p.includes(REFUSED))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the security officer sees who can reach a patient and why, reviews emergency access and checks a policy edit', async () => {
    const { context, page, problems } = await openPage(browser, 'en');
    try {
      await signIn(page, OFFICER.email);
      await page.goto(`${server.baseUrl}/admin`);
      const sections = page.getByRole('navigation', { name: 'Administration sections' });
      await sections.getByRole('link', { name: 'Who can reach a patient' }).click();
      await page.getByLabel('Medical record number').fill(DANIEL.mrn);
      await page.getByRole('button', { name: 'Show who can reach this patient' }).click();
      await page.getByLabel('Part of the record').selectOption('problems');
      const table = page.getByRole('table', { name: `Problems of patient ${DANIEL.mrn}` });
      const clinicianRow = table.getByRole('row', { name: new RegExp(CLINICIAN.displayName) });
      await clinicianRow.waitFor();
      const read = clinicianRow.getByRole('cell').nth(1);
      expect(await read.innerText()).toMatch(
        /Allowed\s+care-team \(permits, clinical-care\.cedar\)\s+On the patient's care team/,
      );
      const nurseRow = table.getByRole('row', { name: /Tomasz Nowak/ });
      expect(await nurseRow.innerText()).toContain('No policy allows it (deny by default).');
      await expectAccessible(page);

      await sections.getByRole('link', { name: 'Emergency access' }).click();
      const grant = page.getByRole('article', { name: new RegExp(CLINICIAN.displayName) });
      await grant.getByText('Collapsed in the waiting room').waitFor();
      expect(await grant.innerText()).toContain('to review');
      await expectAccessible(page);
      await grant
        .getByLabel('Your review')
        .fill('Confirmed with reception: she collapsed at 9:40.');
      await grant.getByRole('button', { name: 'Record the review' }).click();
      await page.getByRole('status').filter({ hasText: 'Review recorded.' }).waitFor();
      await grant.getByText(`Reviewed by ${OFFICER.displayName}`).waitFor();

      await sections.getByRole('link', { name: 'Access policy' }).click();
      await page.getByText('Version 1, shipped with SafeConsult').waitFor();
      await expectAccessible(page);
      const editor = page.getByRole('region', { name: 'Change the policy' });
      await editor.getByText('clinical-care.cedar', { exact: true }).click();
      const text = editor.getByLabel('Text of clinical-care.cedar');
      const original = await text.inputValue();
      await text.fill(original.replace('careTeam.contains', 'careTeem.contains'));
      await editor.getByRole('button', { name: 'Check the edited policy' }).click();
      const found = editor.getByRole('alert').filter({ hasText: 'has problems' });
      await found.waitFor();
      expect(await found.innerText()).toMatch(/clinical-care\.cedar:\d+:\d+ .*careTeem/);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

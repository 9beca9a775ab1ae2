import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { wallClock } from '@safeconsult/protocol';
import { DEMO_STAFF } from '../server/src/demo/demo-clinic.js';
import { launchBrowser, openPage } from './support/browser.js';
import { startDemoServer, type DemoServer } from './support/demo-server.js';
import { expectAccessible, signInFirstTime } from './support/staff-session.js';

const CLINICIAN = DEMO_STAFF.find((s) => s.email.startsWith('amara.okafor'))!;
const ADMIN = DEMO_STAFF.find((s) => s.role === 'admin')!;
const CLINIC_ZONE = 'Europe/Berlin';

/**
 * A start `minutes` from now, whole minutes: as a `datetime-local` value on the clinic's clock and
 * as the day view shows it.
 */
function startIn(minutes: number) {
  const at = new Date(Math.floor((Date.now() + minutes * 60_000) / 60_000) * 60_000);
  const clock = wallClock(at, CLINIC_ZONE);
  const shown = new Intl.DateTimeFormat('en', { timeStyle: 'short', timeZone: CLINIC_ZONE });
  return { local: `${clock.date}T${clock.time}`, shown: shown.format(at) };
}

/**
 * Minutes from now to where the test's consults may start: now, or (late in the clinic's day)
 * about 09:00 the next morning, so that a consult and its move stay on one day of the day view.
 */
function dayRoom(): number {
  const [hours = 0, minutes = 0] = wallClock(new Date(), CLINIC_ZONE).time.split(':').map(Number);
  const left = 24 * 60 - (hours * 60 + minutes);
  return left > 90 ? 0 : left + 9 * 60;
}

describe("the clinician's consult day, in a real browser", () => {
  // Its own server: the admin's first sign-in (setting up a factor) must not depend on other files.
  let server: DemoServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startDemoServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
    await server.stop();
  });

  it('books a consult, sees it on the day, moves it, and the outbox has the new calendar entry', async () => {
    const tab = await openPage(browser, 'en');
    try {
      const page = tab.page;
      await signInFirstTime(page, server.baseUrl, CLINICIAN.email);
      await page.getByRole('link', { name: 'Consultations' }).click();
      await page.getByRole('heading', { name: 'Book a consultation' }).waitFor();
      await page.getByLabel("Patient's record number").fill('RFP-100231');
      await page.getByLabel('Clinician').selectOption(CLINICIAN.id);
      const offset = dayRoom();
      const first = startIn(offset + 30);
      await page.getByLabel('Start (clinic time)').fill(first.local);
      await page.getByLabel('Duration in minutes').fill('20');
      await page.getByLabel('Reason (short, optional)').fill('Blood pressure review');
      await page.getByRole('button', { name: 'Book consultation' }).click();
      await page.getByRole('status').filter({ hasText: 'Booked' }).waitFor();

      // The demo has booked Maria a consult as well; ours is the one at the time we chose.
      const cardAt = (time: string) =>
        page.locator('.day-consult').filter({ hasText: `${time} · Maria Elisabeth Schneider` });
      const card = cardAt(first.shown);
      await card.waitFor();
      expect(await card.getByRole('link', { name: 'Open room' }).getAttribute('href')).toMatch(
        /^\/console\/consults\/[0-9a-f-]{36}$/,
      );
      await expectAccessible(page);

      await card.getByRole('button', { name: 'Reschedule' }).click();
      const moved = startIn(offset + 50);
      await card.getByLabel('Start (clinic time)').fill(moved.local);
      await card.getByLabel('Duration in minutes').fill('30');
      await card.getByRole('button', { name: 'Move consultation' }).click();
      await page.getByRole('status').filter({ hasText: 'Moved' }).waitFor();
      await cardAt(moved.shown).getByText('30 minutes').waitFor();
      expect(await cardAt(first.shown).count()).toBe(0);
      expect(tab.problems, tab.problems.join('\n')).toEqual([]);
    } finally {
      await tab.context.close();
    }

    const adminTab = await openPage(browser, 'en');
    try {
      const page = adminTab.page;
      await signInFirstTime(page, server.baseUrl, ADMIN.email);
      await page.goto(`${server.baseUrl}/admin/outbox`);
      const newest = page
        .locator('.message')
        .filter({ hasText: 'To maria.schneider@mail.example' })
        .first();
      await newest.waitFor();
      expect(await newest.locator('pre').innerText()).toContain('has moved');
      const download = newest.getByRole('link', { name: /Download consult\.ics \(text\/calendar/ });
      const href = await download.getAttribute('href');
      const ics = await page.evaluate(async (url) => (await fetch(url!)).text(), href);
      expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
      expect(ics).toContain('METHOD:REQUEST');
      expect(ics).toContain('SEQUENCE:1');
      expect(ics).not.toContain('Blood pressure');
      // The patient's mobile got a text too, kept in the outbox without a gateway.
      await page.locator('.message').filter({ hasText: 'To +44 7700 900231' }).first().waitFor();
      await expectAccessible(page);
      expect(adminTab.problems, adminTab.problems.join('\n')).toEqual([]);
    } finally {
      await adminTab.context.close();
    }
  });
});

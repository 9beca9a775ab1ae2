import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage } from './support/browser.js';
import {
  bookConsult,
  demoLena,
  endConsultForEveryone,
  joinLinkFromOutbox,
  joinToWaitingRoom,
  openRoomAsClinician,
} from './support/consult-room.js';
import { startDemoServer, type DemoServer } from './support/demo-server.js';
import { demoStaff, expectAccessible, signInFirstTime } from './support/staff-session.js';

/** On Lena Fischer's care team, so the policy lets him hold her consult and write her record. */
const CLINICIAN = demoStaff('jonas.');
const ADMIN = demoStaff('alex.');
const LENA = demoLena();
const NOTE = 'TSH stable at 3.1.\nContinue levothyroxine 75 µg; <b>review</b> in three months.';

describe('the consult note, from the end of a consult to the patient chart', () => {
  let server: DemoServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startDemoServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser.close();
    await server.stop();
  });

  it('shows the chart beside the video, takes the note after the end, and files it in the chart', async () => {
    const { baseUrl } = server;
    const clinician = await openPage(browser, 'en');
    const patient = await openPage(browser, 'en');
    try {
      const c = clinician.page;
      await signInFirstTime(c, baseUrl, CLINICIAN.email);
      const booked = await bookConsult(c, LENA.id, CLINICIAN.id);
      expect(booked.status).toBe(201);
      const admin = await openPage(browser, 'en');
      let joinLink: string;
      try {
        await signInFirstTime(admin.page, baseUrl, ADMIN.email);
        joinLink = await joinLinkFromOutbox(admin.page, baseUrl, 'lena.fischer@mail.example');
      } finally {
        await admin.context.close();
      }
      await joinToWaitingRoom(patient.page, joinLink, { birthDate: LENA.birthDate });

      await openRoomAsClinician(c, baseUrl, booked.body.id);
      // The patient's chart sits beside the video.
      const aside = c.getByRole('region', { name: "Patient's record" });
      await aside.getByText('Levothyroxine Sodium 0.075 MG Oral Tablet').waitFor();
      await aside.getByRole('img', { name: /Body temperature/ }).waitFor();
      // The record can be brought in from the clinic's EHR before the consult starts.
      await aside
        .getByRole('button', { name: "Import the patient's record from the EHR" })
        .waitFor();
      expect(
        await aside.getByRole('button', { name: 'Send this consultation to the EHR' }).count(),
      ).toBe(0);
      await c.getByRole('button', { name: 'Admit Patient' }).click();
      await patient.page.getByRole('heading', { name: 'You are in the waiting room' }).waitFor({
        state: 'detached',
      });

      await endConsultForEveryone(c);
      const note = c.getByLabel('Your note on this consultation');
      await c.getByRole('button', { name: 'Save note' }).click();
      await c.getByText('Write the note before saving it.').waitFor();
      await note.fill(NOTE);
      await c.getByRole('button', { name: 'Save note' }).click();
      await c.getByText("The note is saved in the patient's record.").waitFor();
      await expectAccessible(c);

      await c.getByRole('link', { name: "Open the patient's chart" }).click();
      await c.waitForURL(`${baseUrl}/console/patients/${LENA.id}`);
      const documents = c.getByRole('region', { name: 'Documents' });
      const row = documents.getByRole('row', { name: /Consult note/ });
      await row.waitFor();
      await expect.poll(() => row.innerText()).toContain('Dr. Jonas Becker');
      expect(await row.innerText()).toContain('Current');
      await row.getByText('Read the note').click();
      // The note is shown as the text it is: markup in it stays visible characters.
      const text = row.locator('.note-text');
      expect(await text.innerText()).toBe(NOTE);
      expect(await text.locator('b').count()).toBe(0);

      const history = c.getByRole('region', { name: 'Consult history' });
      const consult = history.getByRole('row').nth(1);
      expect(await consult.innerText()).toContain('Dr. Jonas Becker');
      await consult.getByRole('link', { name: 'Go to the note' }).click();
      expect(new URL(c.url()).hash).toMatch(/^#document-/);
      await c.getByRole('region', { name: 'Measurements over time' }).waitFor();
      await expectAccessible(c);

      expect(clinician.problems).toEqual([]);
    } finally {
      await patient.context.close();
      await clinician.context.close();
    }
  });
});

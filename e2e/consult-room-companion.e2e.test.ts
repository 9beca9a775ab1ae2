import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devices, type Browser, type Page } from 'playwright-core';
import { wallClock } from '@safeconsult/protocol';
import { launchBrowser, openPage } from './support/browser.js';
import {
  bookConsult,
  demoLena,
  endConsultForEveryone,
  expectFramesFrom,
  expectFramesGrowing,
  joinLinkFromOutbox,
  joinToWaitingRoom,
  openRoomAsClinician,
  peerFacts,
} from './support/consult-room.js';
import { startDemoServer, type DemoServer } from './support/demo-server.js';
import { demoStaff, expectAccessible, signInFirstTime } from './support/staff-session.js';

const CLINICIAN = demoStaff('jonas.');
const ADMIN = demoStaff('alex.');
const LENA = demoLena();
const INTERPRETER_EMAIL = 'ana.costa@interpreters.example';
/** How the room names each of the three, and how the server verified each. */
const DOCTOR = 'Dr. Jonas Becker (Clinician)';
const PATIENT = 'Patient';
const INTERPRETER = 'Ana Costa (interpreter)';
const VERIFIED = {
  [DOCTOR]: 'signed in with a password and a second factor',
  [PATIENT]: 'joined with a personal link and confirmed the date of birth',
  [INTERPRETER]: 'joined with a personal link',
};
type Person = keyof typeof VERIFIED;

/** The demo clinic's time zone, whose days the day view shows. */
const CLINIC_ZONE = 'Europe/Berlin';

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Invites the interpreter from the day view's card of the consult, as the clinician would, on the
 * consult's own day (near midnight on the clinic's clock it may be tomorrow's).
 */
async function inviteInterpreter(
  page: Page,
  baseUrl: string,
  consult: { id: string; startsAt: string },
) {
  const appointmentId = consult.id;
  await page.goto(`${baseUrl}/console/consults`);
  await page
    .getByLabel('Day', { exact: true })
    .fill(wallClock(new Date(consult.startsAt), CLINIC_ZONE).date);
  const card = page
    .locator('.day-consult')
    .filter({ has: page.locator(`a[href="/console/consults/${appointmentId}"]`) });
  await card.getByRole('button', { name: 'Invite a companion' }).click();
  await card.getByLabel("Companion's name").fill('Ana Costa');
  await card.getByLabel('Relationship').selectOption('interpreter');
  await card.getByLabel('E-mail address').fill(INTERPRETER_EMAIL);
  await card.getByRole('button', { name: 'Send invitation' }).click();
  await card.getByRole('status').filter({ hasText: 'Invitation sent.' }).waitFor();
}

/** "Who is present" on `page`, which belongs to `self`, names everyone and how each was verified. */
async function expectPresent(page: Page, self: Person, everyone: readonly Person[]) {
  const panel = page.getByRole('region', { name: 'How you are protected' });
  for (const person of everyone) {
    const you = person === self ? ' (you)' : '';
    await panel.getByText(`${person}${you}: ${VERIFIED[person]}`, { exact: true }).waitFor();
  }
}

describe('a consult with an interpreter: three browsers, one removed part-way', () => {
  // Its own server: the clinician and the admin sign in for the first time here.
  let server: DemoServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startDemoServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser.close();
    await server.stop();
  });

  it('admits patient and interpreter into one call, removes the interpreter, and the others go on', async () => {
    const { baseUrl } = server;
    const open = () => openPage(browser, 'en');
    // The interpreter joins from a phone.
    const [clinician, admin, patient, interpreter] = await Promise.all([
      open(),
      open(),
      open(),
      openPage(browser, 'en', devices['Pixel 7']),
    ]);
    const [c, p, i] = [clinician.page, patient.page, interpreter.page];
    try {
      await Promise.all([
        signInFirstTime(c, baseUrl, CLINICIAN.email),
        signInFirstTime(admin.page, baseUrl, ADMIN.email),
      ]);
      const booked = await bookConsult(c, LENA.id, CLINICIAN.id);
      expect(booked.status).toBe(201);
      const appointmentId = booked.body.id;
      await inviteInterpreter(c, baseUrl, booked.body);
      const patientLink = await joinLinkFromOutbox(
        admin.page,
        baseUrl,
        'lena.fischer@mail.example',
      );
      const interpreterLink = await joinLinkFromOutbox(admin.page, baseUrl, INTERPRETER_EMAIL);
      await admin.context.close();

      // The interpreter is greeted by name and is not asked the patient's birth date.
      await Promise.all([
        joinToWaitingRoom(p, patientLink, { birthDate: LENA.birthDate }),
        joinToWaitingRoom(i, interpreterLink, {
          atConsent: () => i.getByText('You are invited as Ana Costa.').waitFor(),
        }),
      ]);
      await expectAccessible(i);

      await openRoomAsClinician(c, baseUrl, appointmentId);
      const waiting = c.getByRole('region', { name: 'Waiting room' });
      for (const person of [PATIENT, INTERPRETER] as const) {
        await waiting
          .getByText(new RegExp(`^${escaped(person)} · waiting since .+ · ${VERIFIED[person]}$`))
          .waitFor();
      }
      await expectAccessible(c);
      await c.getByRole('button', { name: `Admit ${PATIENT}` }).click();
      await c.getByRole('button', { name: `Admit ${INTERPRETER}` }).click();

      const everyone = [DOCTOR, PATIENT, INTERPRETER] as const;
      const seats = [
        [c, DOCTOR],
        [p, PATIENT],
        [i, INTERPRETER],
      ] as const;
      await Promise.all(
        seats.map(([page, self]) =>
          expectFramesFrom(
            page,
            everyone.filter((x) => x !== self),
          ),
        ),
      );
      for (const [page, self] of seats) await expectPresent(page, self, everyone);
      // On the phone the call fits the screen's width, and is as accessible as on a desktop.
      expect(
        await i.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
      ).toBe(true);
      await expectAccessible(i);

      // Removed, the interpreter is told so, and neither the session nor the link lets them back.
      await c.getByRole('button', { name: `Remove ${INTERPRETER}` }).click();
      await i.getByRole('heading', { name: 'You are no longer in the consultation' }).waitFor();
      await i.goto(`${baseUrl}/join`);
      await i.getByText('To join, open the link in your invitation').waitFor();
      // A new document, since a link that differs only in its fragment would not load the page.
      await i.goto('about:blank');
      await i.goto(interpreterLink);
      await i.getByRole('heading', { name: 'This link does not work' }).waitFor();

      // The call between the other two goes on, without the interpreter.
      for (const [page, self] of seats.slice(0, 2)) {
        await expect
          .poll(async () => Object.keys(await peerFacts(page)), { timeout: 15_000 })
          .toEqual([self === DOCTOR ? PATIENT : DOCTOR]);
        await expect.poll(() => page.getByText(INTERPRETER).count()).toBe(0);
      }
      await Promise.all([expectFramesGrowing(c, [PATIENT]), expectFramesGrowing(p, [DOCTOR])]);
      await expectPresent(p, PATIENT, [DOCTOR, PATIENT]);

      await endConsultForEveryone(c, p);

      expect(clinician.problems).toEqual([]);
      expect(patient.problems).toEqual([]);
      // The refused link is the one expected failure (400, token_invalid).
      expect(interpreter.problems).toEqual([
        expect.stringContaining('the server responded with a status of 400'),
      ]);
    } finally {
      await Promise.all([clinician, patient, interpreter].map((tab) => tab.context.close()));
    }
  });
});

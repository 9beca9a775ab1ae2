import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage, type WatchedPage } from './support/browser.js';
import {
  bookConsult,
  demoLena,
  expectFramesFrom,
  joinLinkFromOutbox,
  openRoomAsClinician,
  peerFacts,
} from './support/consult-room.js';
import { startDemoServer, type DemoServer } from './support/demo-server.js';
import { FIREFOX, firefoxPresent, launchFirefox, type FirefoxTab } from './support/firefox.js';
import { demoStaff, signInFirstTime } from './support/staff-session.js';

const CLINICIAN = demoStaff('jonas.');
const ADMIN = demoStaff('alex.');
const LENA = demoLena();
const LENA_EMAIL = 'lena.fischer@mail.example';
const PATIENT_LABEL = 'Patient';

/** Page-side expressions for the Firefox tab, which is driven through its DOM. */
const button = (text: string) =>
  `[...document.querySelectorAll('button')].find((b) => b.textContent.trim() === ${JSON.stringify(text)})`;
const shows = (text: string) => `document.body.innerText.includes(${JSON.stringify(text)})`;
const click = (text: string) => `(${button(text)}).click()`;
/** The protection panel's facts about each connection, as in the Chromium tests. */
const PANEL_FACTS = `[...document.querySelectorAll('[data-testid="protection-path"]')].map((li) => ({
  path: li.dataset.path,
  frames: Number(li.dataset.framesDecoded),
  text: li.innerText,
}))`;

describe.runIf(firefoxPresent())(`a patient in Firefox (${FIREFOX})`, () => {
  let server: DemoServer;
  let browser: Browser;
  let clinician: WatchedPage;
  let admin: WatchedPage;
  let firefox: FirefoxTab;
  beforeAll(async () => {
    [server, browser, firefox] = await Promise.all([
      startDemoServer(),
      launchBrowser(),
      launchFirefox(),
    ]);
    [clinician, admin] = await Promise.all([openPage(browser, 'en'), openPage(browser, 'en')]);
    await Promise.all([
      signInFirstTime(clinician.page, server.baseUrl, CLINICIAN.email),
      signInFirstTime(admin.page, server.baseUrl, ADMIN.email),
    ]);
  });
  afterAll(async () => {
    await firefox?.close();
    await browser?.close();
    await server?.stop();
  });

  it('joins through the checks and decodes video with a clinician in Chromium, peer to peer', async () => {
    const booked = await bookConsult(clinician.page, LENA.id, CLINICIAN.id);
    expect(booked.status).toBe(201);
    const link = await joinLinkFromOutbox(admin.page, server.baseUrl, LENA_EMAIL);

    await firefox.goto(link);
    await firefox.waitFor(shows('Video consultation with Dr. Jonas Becker'));
    // The token leaves the address bar at once.
    expect(await firefox.evaluate<string>('location.hash')).toBe('');
    await firefox.evaluate(click('Check camera and microphone'));
    await firefox.waitFor(
      `document.querySelector('video')?.srcObject && !(${button('Continue')}).disabled`,
    );
    await firefox.evaluate(click('Continue'));
    await firefox.evaluate(
      `[...document.querySelectorAll('label')].find((l) => l.textContent.includes('I have read this and agree')).control.click()`,
    );
    await firefox.evaluate(click('Agree and continue'));
    await firefox.waitFor(`document.querySelector('input[name="birthDate"]')`);
    await firefox.evaluate(
      `document.querySelector('input[name="birthDate"]').value = ${JSON.stringify(LENA.birthDate)}`,
    );
    await firefox.evaluate(click('Go to the waiting room'));
    await firefox.waitFor(shows('You are connected. The clinician can see that you are waiting.'));

    const c = clinician.page;
    await openRoomAsClinician(c, server.baseUrl, booked.body.id);
    await c.getByRole('button', { name: 'Admit Patient' }).click();
    await expectFramesFrom(c, [PATIENT_LABEL]);
    await firefox.waitFor(`${PANEL_FACTS}.some((f) => f.frames > 0)`);

    const [inFirefox] =
      await firefox.evaluate<{ path: string; frames: number; text: string }[]>(PANEL_FACTS);
    expect(inFirefox?.path).toBe('direct');
    const inChromium = (await peerFacts(c))[PATIENT_LABEL];
    expect(inChromium?.path).toBe('direct');
    // Each browser's panel reads its own connection's stats, in each browser's own shapes.
    for (const facts of [inFirefox, inChromium]) {
      expect(facts?.text).toContain('Connected directly, peer to peer.');
      expect(facts?.text).toMatch(/Encrypted \(DTLS-SRTP, \w+/);
    }

    await c.getByRole('button', { name: 'End consult' }).click();
    await c.getByRole('button', { name: 'End for everyone' }).click();
    await firefox.waitFor(shows('The consultation has ended'));
    expect(clinician.problems).toEqual([]);
  });
});

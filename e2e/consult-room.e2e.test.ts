import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, openPage, type WatchedPage } from './support/browser.js';
import {
  bookConsult,
  demoLena,
  endConsultForEveryone,
  expectFramesFrom,
  expectFramesGrowing,
  joinLinkFromOutbox,
  joinToWaitingRoom,
  loseFirstOffer,
  openRoomAsClinician,
  peerFacts,
} from './support/consult-room.js';
import { startDemoServer, type DemoServer } from './support/demo-server.js';
import { demoStaff, expectAccessible, signInFirstTime } from './support/staff-session.js';

/** On Lena Fischer's care team, so the policy lets him book and hold her consult. */
const CLINICIAN = demoStaff('jonas.');
const ADMIN = demoStaff('alex.');
const LENA = demoLena();
const LENA_EMAIL = 'lena.fischer@mail.example';
/** How each side labels the other in the protection panel. */
const CLINICIAN_LABEL = 'Dr. Jonas Becker (Clinician)';
const PATIENT_LABEL = 'Patient';

type Tab = WatchedPage & { context: BrowserContext };

/** A real 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const TEXT = Buffer.from('Morning readings\n128/82 mmHg, pulse 71\n', 'utf8');
/** HTML wearing a PDF's name: the server reads the content and refuses it. */
const FAKE_PDF = Buffer.from('<!doctype html><script>alert(1)</script>', 'utf8');

/** The chat log of the page's call (only there once the history has loaded). */
const chatLog = (page: Page) => page.getByRole('log', { name: 'Chat and files' });

async function say(page: Page, text: string) {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByLabel('Message', { exact: true }).press('Enter');
}

/** The line the reader sees for `text`, with who sent it. */
async function expectLine(page: Page, text: string, sender: string) {
  const line = chatLog(page).locator('.chat-line').filter({ hasText: text });
  await line.waitFor();
  expect(await line.locator('.chat-sender').innerText()).toBe(sender);
}

function share(page: Page, name: string, mimeType: string, buffer: Buffer) {
  return page.getByLabel('Share a file').setInputFiles({ name, mimeType, buffer });
}

/**
 * Downloads the shared file the reader's chat offers as `name` and returns its bytes, after
 * checking that it is a download link and that the page stays where it is.
 */
async function download(page: Page, name: string, typeWords: string, size: number) {
  const link = chatLog(page).getByRole('link', { name: `${name} (${typeWords}, ${size} bytes)` });
  await link.waitFor();
  expect(await link.getAttribute('download')).toBe(name);
  const href = await link.getAttribute('href');
  // The server sends it as an attachment that the browser may neither sniff nor run.
  const headers = await page.evaluate(async (url) => {
    const response = await fetch(url ?? '');
    return Object.fromEntries(response.headers);
  }, href);
  expect(headers['content-disposition']).toBe(`attachment; filename*=UTF-8''${name}`);
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['content-security-policy']).toContain('sandbox');
  const at = page.url();
  const [file] = await Promise.all([page.waitForEvent('download'), link.click()]);
  expect(file.suggestedFilename()).toBe(name);
  expect(page.url()).toBe(at);
  expect(page.context().pages()).toHaveLength(1);
  return readFile(await file.path());
}

describe('a video consult between a clinician and a patient, in two browsers', () => {
  // Its own server: the clinician and the admin sign in for the first time here.
  let server: DemoServer;
  let browser: Browser;
  let clinician: Tab;
  let admin: Tab;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startDemoServer(), launchBrowser()]);
    [clinician, admin] = await Promise.all([openPage(browser, 'en'), openPage(browser, 'en')]);
    await Promise.all([
      signInFirstTime(clinician.page, server.baseUrl, CLINICIAN.email),
      signInFirstTime(admin.page, server.baseUrl, ADMIN.email),
    ]);
  });
  afterAll(async () => {
    await browser.close();
    await server.stop();
  });

  /**
   * Books a consult for Lena and brings her, in a browser of her own, to its waiting room;
   * `beforeOpen` prepares her page before it opens the link.
   */
  async function patientWaiting({
    atConsent,
    beforeOpen,
  }: {
    atConsent?: (page: Page) => Promise<void>;
    beforeOpen?: (page: Page) => Promise<void>;
  } = {}) {
    const booked = await bookConsult(clinician.page, LENA.id, CLINICIAN.id);
    expect(booked.status).toBe(201);
    const link = await joinLinkFromOutbox(admin.page, server.baseUrl, LENA_EMAIL);
    const patient = await openPage(browser, 'en');
    await beforeOpen?.(patient.page);
    await joinToWaitingRoom(patient.page, link, {
      birthDate: LENA.birthDate,
      atConsent: atConsent && (() => atConsent(patient.page)),
    });
    return { appointmentId: booked.body.id, link, patient };
  }

  /** The clinician opens the room and admits the patient; both see the other's video. */
  async function admitPatient(appointmentId: string, patient: Page, c = clinician.page) {
    await openRoomAsClinician(c, server.baseUrl, appointmentId);
    await c.getByRole('button', { name: 'Admit Patient' }).click();
    await Promise.all([
      expectFramesFrom(patient, [CLINICIAN_LABEL]),
      expectFramesFrom(c, [PATIENT_LABEL]),
    ]);
  }

  const endConsult = (patient: Page) => endConsultForEveryone(clinician.page, patient);

  it('books, joins through the checks, admits, connects peer to peer, and ends', async () => {
    const clinicianProblems = clinician.problems.length;
    const { appointmentId, link, patient } = await patientWaiting({
      atConsent: expectAccessible,
    });
    const p = patient.page;
    try {
      await expectAccessible(p);
      await admitPatient(appointmentId, p);
      for (const [page, peer] of [
        [p, CLINICIAN_LABEL],
        [clinician.page, PATIENT_LABEL],
      ] as const) {
        const facts = (await peerFacts(page))[peer];
        expect(facts?.path).toBe('direct');
        expect(facts?.text).toContain('Connected directly, peer to peer.');
        expect(facts?.text).toMatch(/Encrypted \(DTLS-SRTP, \w+/);
        await page.getByText('Not recorded. This clinic does not record consults.').waitFor();
      }
      await p.getByText(/joined with a personal link and confirmed the date of birth/).waitFor();
      await expectAccessible(p);

      await endConsult(p);
      // The camera is released: no live track is left on the patient's page.
      expect(
        await p.evaluate(() =>
          [...document.querySelectorAll('video')].some((v) =>
            (v.srcObject as MediaStream | null)?.getTracks().some((t) => t.readyState === 'live'),
          ),
        ),
      ).toBe(false);

      // The link is spent and the consult is over: opening it again is refused.
      await p.goto('about:blank');
      await p.goto(link);
      await p.getByRole('heading', { name: 'This link does not work' }).waitFor();
      // The refused link is the one expected failure (400, token_invalid); nothing else went wrong.
      const refusedLink = 'the server responded with a status of 400';
      expect(patient.problems.filter((m) => !m.includes(refusedLink))).toEqual([]);
      expect(patient.problems.filter((m) => m.includes(refusedLink))).toHaveLength(1);
      expect(clinician.problems.slice(clinicianProblems)).toEqual([]);
    } finally {
      await patient.context.close();
    }
  });

  it('connects although the first offer of each side is lost on the way', async () => {
    let lostByPatient = { offers: 0 };
    const { appointmentId, patient } = await patientWaiting({
      beforeOpen: async (page) => void (lostByPatient = await loseFirstOffer(page)),
    });
    // A page of its own for the clinician's room, so the route stays with this test.
    const room = await clinician.context.newPage();
    const lostByClinician = await loseFirstOffer(room);
    try {
      await admitPatient(appointmentId, patient.page, room);
      // Both offers went missing, so the call stood only because each was sent again.
      expect([lostByPatient.offers, lostByClinician.offers]).toEqual([1, 1]);
      await endConsultForEveryone(room, patient.page);
    } finally {
      await room.close();
      await patient.context.close();
    }
  });

  it('carries chat and files both ways, live, and refuses a disguised file without dropping the call', async () => {
    const clinicianProblems = clinician.problems.length;
    const { appointmentId, patient } = await patientWaiting();
    const p = patient.page;
    const c = clinician.page;
    try {
      await admitPatient(appointmentId, p);
      // Marks both documents, so a line that shows up after a reload would be noticed.
      for (const page of [p, c])
        await page.evaluate(() => (document.body.dataset.sameDocument = 'yes'));

      await say(c, 'Good morning, can you hear me well?');
      await expectLine(p, 'Good morning, can you hear me well?', 'Dr. Jonas Becker');
      await say(p, 'Yes, clearly. I will send my readings.');
      await expectLine(c, 'Yes, clearly. I will send my readings.', 'Patient');
      await expectLine(c, 'Good morning, can you hear me well?', 'You');

      await share(c, 'wound-photo.png', 'image/png', PNG);
      expect(await download(p, 'wound-photo.png', 'PNG image', PNG.length)).toEqual(PNG);
      await share(p, 'readings.txt', 'text/plain', TEXT);
      expect(await download(c, 'readings.txt', 'Text file', TEXT.length)).toEqual(TEXT);
      for (const page of [p, c]) {
        expect(await page.evaluate(() => document.body.dataset.sameDocument)).toBe('yes');
      }
      // The call view with the chat in use, on both sides.
      await expectAccessible(p);
      await expectAccessible(c);

      await share(p, 'report.pdf', 'application/pdf', FAKE_PDF);
      await p
        .getByRole('alert')
        .filter({
          hasText: 'This file is not a PDF, PNG, JPEG or text file, so it cannot be shared.',
        })
        .waitFor();
      await Promise.all([
        expectFramesGrowing(p, [CLINICIAN_LABEL]),
        expectFramesGrowing(c, [PATIENT_LABEL]),
      ]);
      expect(await chatLog(c).getByText('report.pdf').count()).toBe(0);
      expect(await chatLog(p).getByText('report.pdf').count()).toBe(0);

      await endConsult(p);
      // The refused file is the one expected failure (415); nothing else went wrong.
      const refusedFile = 'the server responded with a status of 415';
      expect(patient.problems.filter((m) => !m.includes(refusedFile))).toEqual([]);
      expect(patient.problems.filter((m) => m.includes(refusedFile))).toHaveLength(1);
      expect(clinician.problems.slice(clinicianProblems)).toEqual([]);
    } finally {
      await patient.context.close();
    }
  });
});

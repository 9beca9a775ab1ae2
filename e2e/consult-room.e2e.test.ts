import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PATIENTS } from '../server/src/demo/demo-clinic.js';
import { launchBrowser, openPage } from './support/browser.js';
import { bookConsult, checkDevices, demoStaff, joinLinkFor } from './support/consult-run.js';
import { startDemoServer, type DemoServer } from './support/demo-server.js';
import { expectAccessible, signInFirstTime } from './support/staff-session.js';

/** On Lena Fischer's care team, so the policy lets him book and hold her consult. */
const CLINICIAN = demoStaff('jonas.');
const ADMIN = demoStaff('alex.');
const LENA = DEMO_PATIENTS.find((p) => p.patient.name?.[0]?.family === 'Fischer')?.patient;

/** The first peer connection's facts as the protection panel shows them. */
async function pathFacts(page: Page) {
  const line = page.getByTestId('protection-path').first();
  return {
    path: await line.getAttribute('data-path'),
    frames: Number(await line.getAttribute('data-frames-decoded')),
    text: await line.innerText(),
  };
}

describe('a video consult between a clinician and a patient, in two browsers', () => {
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

  it('books, joins through the checks, admits, connects peer to peer, and ends', async () => {
    if (!LENA?.id || !LENA.birthDate) throw new Error('no demo patient Lena Fischer');
    const { baseUrl } = server;
    const clinician = await openPage(browser, 'en');
    const patient = await openPage(browser, 'en');
    try {
      await signInFirstTime(clinician.page, baseUrl, CLINICIAN.email);
      const booked = await bookConsult(clinician.page, LENA.id, CLINICIAN.id);
      expect(booked.status).toBe(201);

      const joinLink = await joinLinkFor(
        browser,
        baseUrl,
        ADMIN.email,
        'lena.fischer@mail.example',
      );

      // The patient: devices, then consent, then the identity check, then the waiting room.
      const p = patient.page;
      await p.goto(joinLink);
      await p.getByRole('heading', { name: /Video consultation with Dr\. Jonas Becker/ }).waitFor();
      await checkDevices(p);
      await p.getByRole('button', { name: 'Agree and continue' }).click();
      await p.getByText('Please tick the box to agree before you continue.').waitFor();
      await expectAccessible(p);
      await p.getByLabel('I have read this and agree to the video consultation.').check();
      await p.getByRole('button', { name: 'Agree and continue' }).click();
      await p.getByLabel("The patient's date of birth").fill(LENA.birthDate);
      await p.getByRole('button', { name: 'Go to the waiting room' }).click();
      await p.getByRole('heading', { name: 'You are in the waiting room' }).waitFor();
      await p.getByText('You are connected. The clinician can see that you are waiting.').waitFor();

      // The clinician opens the room, checks devices, and lets the patient in.
      const c = clinician.page;
      await c.goto(`${baseUrl}/console/consults/${booked.body.id}`);
      await c.getByRole('heading', { name: 'Consult room' }).waitFor();
      await checkDevices(c);
      await c.getByRole('button', { name: 'Admit Patient' }).click();

      for (const page of [p, c]) {
        await expect
          .poll(() => pathFacts(page), { timeout: 30_000 })
          .toMatchObject({
            path: 'direct',
            frames: expect.any(Number) as number,
          });
        await expect
          .poll(async () => (await pathFacts(page)).frames, { timeout: 30_000 })
          .toBeGreaterThan(0);
        const facts = await pathFacts(page);
        expect(facts.text).toContain('Connected directly, peer to peer.');
        expect(facts.text).toMatch(/Encrypted \(DTLS-SRTP, \w+/);
        await page.getByText('Not recorded. This clinic does not record consults.').waitFor();
      }
      await p.getByText(/joined with a personal link and confirmed the date of birth/).waitFor();
      await expectAccessible(p);

      await c.getByRole('button', { name: 'End consult' }).click();
      await c.getByRole('button', { name: 'End for everyone' }).click();
      await p.getByRole('heading', { name: 'The consultation has ended' }).waitFor();
      await c.getByRole('heading', { name: 'The consultation has ended' }).waitFor();
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
      await p.goto(joinLink);
      await p.getByRole('heading', { name: 'This link does not work' }).waitFor();
      // The refused link is the one expected failure (400, token_invalid); nothing else went wrong.
      const refusedLink = 'the server responded with a status of 400';
      expect(patient.problems.filter((m) => !m.includes(refusedLink))).toEqual([]);
      expect(patient.problems.filter((m) => m.includes(refusedLink))).toHaveLength(1);
      expect(clinician.problems).toEqual([]);
    } finally {
      await patient.context.close();
      await clinician.context.close();
    }
  });
});

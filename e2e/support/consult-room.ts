import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { checkDevices } from './browser.js';
import { DEMO_PATIENTS } from '../../server/src/demo/demo-clinic.js';

/** Lena Fischer, with the id and birth date a join needs. */
export function demoLena() {
  const lena = DEMO_PATIENTS.find((p) => p.patient.name?.[0]?.family === 'Fischer')?.patient;
  if (!lena?.id || !lena.birthDate) throw new Error('no demo patient Lena Fischer');
  return { id: lena.id, birthDate: lena.birthDate };
}

/** Books a consult from the signed-in page, as the console would, with the session's CSRF token. */
export function bookConsult(page: Page, patientId: string, clinicianId: string) {
  return page.evaluate(
    async ({ patientId, clinicianId }) => {
      const state = (await (await fetch('/api/auth/session')).json()) as {
        session: { csrfToken: string };
      };
      const response = await fetch('/api/appointments', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': state.session.csrfToken },
        body: JSON.stringify({
          patientId,
          clinicianId,
          startsAt: new Date(Date.now() + 10 * 60_000).toISOString(),
          durationMinutes: 30,
        }),
      });
      return {
        status: response.status,
        body: (await response.json()) as { id: string; startsAt: string },
      };
    },
    { patientId, clinicianId },
  );
}

/**
 * The newest join link the outbox holds for `recipient`, read on the admin's outbox page (newest
 * messages first).
 */
export async function joinLinkFromOutbox(admin: Page, baseUrl: string, recipient: string) {
  await admin.goto(`${baseUrl}/admin/outbox`);
  const message = admin
    .locator('.message')
    .filter({ hasText: `To ${recipient}` })
    .filter({ hasText: '/join#token=' })
    .first();
  const body = await message.locator('pre').first().innerText();
  const fragment = /\/join(#token=[\w-]+)/.exec(body)?.[1];
  expect(fragment).toBeDefined();
  return `${baseUrl}/join${fragment ?? ''}`;
}

/**
 * From the link to the waiting room: devices, consent (which refuses to go on unticked; `atConsent`
 * runs on that refusal), then the birth date where the invitation asks for it (a patient's does, a
 * companion's does not).
 */
export async function joinToWaitingRoom(
  page: Page,
  link: string,
  { birthDate, atConsent }: { birthDate?: string; atConsent?: () => Promise<void> } = {},
) {
  await page.goto(link);
  await page.getByRole('heading', { name: /Video consultation with Dr\. Jonas Becker/ }).waitFor();
  await checkDevices(page);
  await page.getByRole('button', { name: 'Agree and continue' }).click();
  await page.getByText('Please tick the box to agree before you continue.').waitFor();
  await atConsent?.();
  await page.getByLabel('I have read this and agree to the video consultation.').check();
  await page.getByRole('button', { name: 'Agree and continue' }).click();
  const birthDateField = page.getByLabel("The patient's date of birth");
  if (birthDate) await birthDateField.fill(birthDate);
  else expect(await birthDateField.count()).toBe(0);
  await page.getByRole('button', { name: 'Go to the waiting room' }).click();
  await page.getByRole('heading', { name: 'You are in the waiting room' }).waitFor();
  await page.getByText('You are connected. The clinician can see that you are waiting.').waitFor();
}

/**
 * Routes the page's signaling socket through the test and loses the first offer the page sends on
 * it, as a dropped connection or a race on the server could. What was lost is counted.
 */
export async function loseFirstOffer(page: Page) {
  const lost = { offers: 0 };
  await page.routeWebSocket(/\/signal$/, (socket) => {
    const server = socket.connectToServer();
    socket.onMessage((message) => {
      const type = typeof message === 'string' && (JSON.parse(message) as { type?: string }).type;
      if (type === 'offer' && lost.offers === 0) lost.offers += 1;
      else server.send(message);
    });
    server.onMessage((message) => socket.send(message));
  });
  return lost;
}

/** The clinician opens the consult's room and gets camera and microphone ready. */
export async function openRoomAsClinician(page: Page, baseUrl: string, appointmentId: string) {
  await page.goto(`${baseUrl}/console/consults/${appointmentId}`);
  await page.getByRole('heading', { name: 'Consult room' }).waitFor();
  await checkDevices(page);
}

export interface PeerFacts {
  path: string | null;
  frames: number;
  text: string;
}

/** Each peer connection's facts as the protection panel shows them, by the peer's label. */
export async function peerFacts(page: Page): Promise<Record<string, PeerFacts>> {
  const lines = await page.getByTestId('protection-path').evaluateAll((items) =>
    items.map((item) => ({
      label: item.querySelector('strong')?.textContent?.replace(/:\s*$/, '') ?? '',
      path: item.getAttribute('data-path'),
      frames: Number(item.getAttribute('data-frames-decoded')),
      text: (item as HTMLElement).innerText,
    })),
  );
  return Object.fromEntries(lines.map(({ label, ...facts }) => [label, facts]));
}

/** Frames decoded so far from each of `peers` (by label); 0 for a peer without a connection. */
export async function framesFrom(page: Page, peers: readonly string[]) {
  const facts = await peerFacts(page);
  return peers.map((peer) => facts[peer]?.frames ?? 0);
}

/** Waits until this page decodes video from every one of `peers` (by label). */
export async function expectFramesFrom(page: Page, peers: readonly string[]) {
  await expect
    .poll(async () => Math.min(...(await framesFrom(page, peers))), { timeout: 30_000 })
    .toBeGreaterThan(0);
}

/** Waits until this page has decoded more frames from each of `peers` than `before` counted. */
export async function expectFramesGrowing(page: Page, peers: readonly string[]) {
  const before = await framesFrom(page, peers);
  await expect
    .poll(
      async () => (await framesFrom(page, peers)).every((frames, i) => frames > (before[i] ?? 0)),
      { timeout: 15_000 },
    )
    .toBe(true);
}

/** The clinician ends the consult for everyone; each page given sees that it has ended. */
export async function endConsultForEveryone(clinician: Page, ...others: Page[]) {
  await clinician.getByRole('button', { name: 'End consult' }).click();
  await clinician.getByRole('button', { name: 'End for everyone' }).click();
  await Promise.all(
    [clinician, ...others].map((page) =>
      page.getByRole('heading', { name: 'The consultation has ended' }).waitFor(),
    ),
  );
}

import type { Browser, Page } from 'playwright-core';
import { DEMO_STAFF } from '../../server/src/demo/demo-clinic.js';
import { openPage } from './browser.js';
import { signInFirstTime } from './staff-session.js';

/** A demo staff member by the start of their e-mail address. */
export function demoStaff(email: string) {
  const user = DEMO_STAFF.find((s) => s.email.startsWith(email));
  if (!user) throw new Error(`no demo ${email}`);
  return user;
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
      return { status: response.status, body: (await response.json()) as { id: string } };
    },
    { patientId, clinicianId },
  );
}

/** The device check of a room page: camera and microphone, then on. */
export async function checkDevices(page: Page) {
  await page.getByRole('button', { name: 'Check camera and microphone' }).click();
  await page.getByLabel('Microphone level').waitFor();
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
}

/**
 * The join link the outbox holds for `recipient`, read by an administrator (signing in for the
 * first time) on the outbox page, as `/join#token=…` under `baseUrl`.
 */
export async function joinLinkFor(
  browser: Browser,
  baseUrl: string,
  adminEmail: string,
  recipient: string,
): Promise<string> {
  const admin = await openPage(browser, 'en');
  try {
    await signInFirstTime(admin.page, baseUrl, adminEmail);
    await admin.page.goto(`${baseUrl}/admin/outbox`);
    const message = admin.page.locator('.message', { hasText: recipient });
    const body = await message.locator('pre').first().innerText();
    const fragment = /\/join(#token=[\w-]+)/.exec(body)?.[1];
    if (!fragment) throw new Error(`no join link for ${recipient}`);
    return `${baseUrl}/join${fragment}`;
  } finally {
    await admin.context.close();
  }
}

/**
 * A patient opens their link and goes through the device check, the consent and the date-of-birth
 * check into the waiting room.
 */
export async function joinWaitingRoom(page: Page, joinLink: string, birthDate: string) {
  await page.goto(joinLink);
  await checkDevices(page);
  await page.getByLabel('I have read this and agree to the video consultation.').check();
  await page.getByRole('button', { name: 'Agree and continue' }).click();
  await page.getByLabel("The patient's date of birth").fill(birthDate);
  await page.getByRole('button', { name: 'Go to the waiting room' }).click();
  await page.getByRole('heading', { name: 'You are in the waiting room' }).waitFor();
}

/** The clinician ends the consult for everyone and sees that it has ended. */
export async function endConsultForEveryone(page: Page) {
  await page.getByRole('button', { name: 'End consult' }).click();
  await page.getByRole('button', { name: 'End for everyone' }).click();
  await page.getByRole('heading', { name: 'The consultation has ended' }).waitFor();
}

import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { checkDevices, launchBrowser } from '../../e2e/support/browser.js';
import { freePort } from '../../e2e/support/demo-server.js';
import { buildApp } from '../../server/src/app.js';
import { closeContext } from '../../server/src/context.js';
import { seedDemoClinic } from '../../server/src/demo/index.js';
import { DEFAULT_WEB_ROOT } from '../../server/src/platform/http/web-app.js';
import { createLogger } from '../../server/src/platform/log/index.js';
import { readPatient } from '../../server/src/records/index.js';
import {
  consultFixture,
  FIXTURE_BIRTH_DATE,
} from '../../server/src/test-support/consult-fixture.js';
import { asSession } from '../../server/src/test-support/staff-client.js';
import { contextOn } from './context.js';
import {
  armAdmitClock,
  bareFirstFrames,
  firstFrameSeen,
  notedTimes,
  watchFirstRemoteFrame,
} from './first-frame-page.js';
import { GOAL_MS, type FirstFrameRounds } from './first-frame-report.js';

/** Measured rounds of each path, after one of each to warm the browser and the server. */
const ROUNDS = Number(process.env.BENCH_FIRST_FRAME_ROUNDS ?? 10);
const STEP_TIMEOUT_MS = 30_000;
const VIEWPORT = { width: 1280, height: 900 };

interface Room {
  app: Awaited<ReturnType<typeof buildApp>>;
  baseUrl: string;
  fixture: Awaited<ReturnType<typeof consultFixture>>;
  patientEmail: string;
}

/** A fresh browser context, as a person opening the product for the first time. */
async function freshPage(
  browser: Browser,
  headers: Record<string, string> = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    locale: 'en',
    viewport: VIEWPORT,
    extraHTTPHeaders: headers,
  });
  // tsx compiles this bench keeping function names, through a `__name` helper the functions sent
  // to the page then call; the page gets one that does nothing.
  await context.addInitScript({ content: 'globalThis.__name = (target) => target;' });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  return { context, page };
}

/** Books a consult as the clinician; the patient's link, still unused, from the outbox. */
async function book({ app, fixture, patientEmail }: Room): Promise<{ id: string; token: string }> {
  const res = await asSession(app, fixture.clinician.session, 'POST', '/api/appointments', {
    patientId: fixture.patientId,
    clinicianId: fixture.clinician.id,
    startsAt: new Date(Date.now() + 5 * 60_000).toISOString(),
    durationMinutes: 30,
  });
  if (res.statusCode !== 201) throw new Error(`booking failed: ${res.body}`);
  return { id: res.json<{ id: string }>().id, token: await fixture.linkFor(patientEmail) };
}

/**
 * One consult through the web app in two browser contexts: the patient joins by link (device
 * check, consent, date of birth) and waits; the clinician opens the room, checks devices and
 * admits. Milliseconds from the Admit click to each side's first remote frame.
 */
async function productRound(
  browser: Browser,
  room: Room,
  round: number,
): Promise<{ patient: number; clinician: number }> {
  const consult = await book(room);
  // The join routes allow an address a few tries a minute; each round's patient is another
  // household, as the server (trusting the proxy header here) sees it.
  const patient = await freshPage(browser, {
    'x-forwarded-for': `198.51.100.${(round % 250) + 1}`,
  });
  const clinician = await freshPage(browser);
  try {
    const p = patient.page;
    await p.goto(`${room.baseUrl}/join#token=${consult.token}`);
    await checkDevices(p);
    await p.getByLabel('I have read this and agree to the video consultation.').check();
    await p.getByRole('button', { name: 'Agree and continue' }).click();
    await p.getByLabel("The patient's date of birth").fill(FIXTURE_BIRTH_DATE);
    await p.getByRole('button', { name: 'Go to the waiting room' }).click();
    await p.getByText('You are connected. The clinician can see that you are waiting.').waitFor();
    await p.evaluate(watchFirstRemoteFrame);

    const [name, ...value] = room.fixture.clinician.session.cookie.split('=');
    await clinician.context.addCookies([
      { name: name ?? '', value: value.join('='), url: room.baseUrl },
    ]);
    const c = clinician.page;
    await c.goto(`${room.baseUrl}/console/consults/${consult.id}`);
    await checkDevices(c);
    const admit = c.getByRole('button', { name: /^Admit / });
    await admit.waitFor();
    await c.evaluate(watchFirstRemoteFrame);
    await c.evaluate(armAdmitClock);
    await admit.click();

    const firstFrame = async (page: Page) => {
      await page.waitForFunction(firstFrameSeen, undefined, { polling: 20 });
      return (await page.evaluate(notedTimes)).firstRemoteFrameAt ?? NaN;
    };
    const [atPatient, atClinician] = await Promise.all([firstFrame(p), firstFrame(c)]);
    const admittedAt = (await c.evaluate(notedTimes)).admitClickedAt ?? NaN;
    return { patient: atPatient - admittedAt, clinician: atClinician - admittedAt };
  } finally {
    await patient.context.close();
    await clinician.context.close();
  }
}

/** A page of nothing on a secure origin (cameras need one), answered by the browser itself. */
const BLANK = 'http://localhost/first-frame-baseline';

async function bareRound(browser: Browser): Promise<{ offerer: number; answerer: number }> {
  const { context, page } = await freshPage(browser);
  try {
    await page.route(BLANK, (route) =>
      route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>baseline</title>' }),
    );
    await page.goto(BLANK);
    return await page.evaluate(bareFirstFrames);
  } finally {
    await context.close();
  }
}

/**
 * The product's rounds and the bare pair's, taking turns so that whatever else loads the machine
 * falls on both alike; one of each first, not counted, warms the browser, server and camera.
 */
export async function firstFrameResults(
  dataDir: string,
  step: (what: string) => void,
): Promise<FirstFrameRounds> {
  if (!existsSync(path.join(DEFAULT_WEB_ROOT, 'index.html')))
    throw new Error(`${DEFAULT_WEB_ROOT} is missing: run \`npm run build -w web\` first.`);
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const ctx = await contextOn(
    {
      DATA_DIR: path.join(dataDir, 'first-frame'),
      PUBLIC_URL: baseUrl,
      TRUST_PROXY: 'true',
      RATE_LIMIT_PER_MINUTE: '100000',
      LOG_LEVEL: 'warn',
    },
    createLogger('warn', process.stderr),
  );
  const app = await buildApp(ctx);
  const browser = await launchBrowser();
  try {
    await seedDemoClinic(ctx);
    await app.listen({ host: '127.0.0.1', port });
    const fixture = await consultFixture(app, ctx);
    const patient = await readPatient(ctx.store.db, ctx.fields, fixture.patientId);
    const patientEmail = patient?.telecom?.find((t) => t.system === 'email')?.value;
    if (!patientEmail) throw new Error('the fixture patient has no e-mail address');
    const room: Room = { app, baseUrl, fixture, patientEmail };
    const rounds: FirstFrameRounds = { patient: [], clinician: [], offerer: [], answerer: [] };
    for (let round = 0; round <= ROUNDS; round++) {
      step(`first-frame: round ${round} of ${ROUNDS}${round === 0 ? ' (warm-up)' : ''}`);
      const product = await productRound(browser, room, round);
      const bare = await bareRound(browser);
      if (round === 0) continue;
      rounds.patient.push(product.patient);
      rounds.clinician.push(product.clinician);
      rounds.offerer.push(bare.offerer);
      rounds.answerer.push(bare.answerer);
    }
    return rounds;
  } finally {
    await browser.close();
    await app.close();
    await closeContext(ctx);
  }
}

/** How the figures are taken, for the results file. */
export const FIRST_FRAME_METHOD = `The time from the clinician's admission of a waiting patient to the first remote video frame on each side, in Chromium (headless, software rendering, fake camera and microphone) on loopback, goal under ${GOAL_MS / 1000} s both ways. One server (the product's app with the built web app, embedded PGlite, on a real port) and one browser; each round books a fresh consult through the server-side fixtures and opens two fresh browser contexts. The patient opens the link, passes the device check and consent, confirms the date of birth and waits; the clinician opens the room, passes the device check and clicks Admit. The admission time is that click event's timestamp in the clinician's page; each side's first frame is the presentation time requestVideoFrameCallback reports for the remote video tile (the decoded frame handed to the compositor), both as performance.timeOrigin plus the page's timestamp, so the two pages share one clock. Taking turns with each round, the bare pair: two RTCPeerConnections in one page, no server and no signaling (offer, answer and candidates handed over in memory), each sending the fake camera and microphone opened beforehand, from createOffer to the first frame presented at each end. ${ROUNDS} rounds of each after one of each not counted. The browser, the server and this process share the machine's cores. p90 is the nearest rank above 90 % of the rounds, so with 10 rounds it is the largest.`;

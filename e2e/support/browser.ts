import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { AxeResults } from 'axe-core';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type CDPSession,
  type Page,
} from 'playwright-core';

/** Debian's Chromium, with fake camera and microphone, and no calls home (the network is closed). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface WatchedPage {
  page: Page;
  /** Console errors, page errors and Content-Security-Policy violations seen so far. */
  problems: string[];
}

/**
 * A page in a fresh context for `locale` (on a desktop screen unless `device` says otherwise, e.g.
 * one of playwright's `devices`), recording every console error, uncaught exception and CSP
 * violation. Violations that code catches (an eval probe) never reach the console, but the
 * browser still reports each one to the server: the `securitypolicyviolation` event, which fires
 * for every report, catches them. The listener and its channel go in through the DevTools
 * protocol, which the page's CSP does not govern.
 */
export async function openPage(
  browser: Browser,
  locale: 'en' | 'de',
  device: BrowserContextOptions = { viewport: { width: 1280, height: 900 } },
): Promise<WatchedPage & { context: BrowserContext }> {
  const context = await browser.newContext({ locale, ...device });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.exposeFunction('reportPolicyViolation', (violation: string) => {
    problems.push(`CSP violation: ${violation}`);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { reportPolicyViolation: (v: string) => void })
        .reportPolicyViolation;
      report(`${event.effectiveDirective} ${event.blockedURI} (${event.sourceFile})`);
    });
  });
  return { context, page, problems };
}

/**
 * Chromium's virtual authenticators for `page`, through the DevTools protocol. Each one added is a
 * platform authenticator with a fingerprint reader that always recognises its owner.
 */
export async function virtualAuthenticators(
  page: Page,
): Promise<{ devtools: CDPSession; add: () => Promise<string> }> {
  const devtools = await page.context().newCDPSession(page);
  await devtools.send('WebAuthn.enable');
  const add = async () => {
    const { authenticatorId } = await devtools.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    return authenticatorId;
  };
  return { devtools, add };
}

export interface AxeFinding {
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * axe-core's serious and critical findings (WCAG 2.2 A and AA rules) for the page as it is now.
 * axe is evaluated through the DevTools protocol, which the page's CSP does not govern.
 */
export async function seriousAccessibilityProblems(page: Page): Promise<AxeFinding[]> {
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(
    (tags) =>
      (
        window as unknown as { axe: { run(ctx: Document, o: object): Promise<AxeResults> } }
      ).axe.run(document, { runOnly: { type: 'tag', values: tags } }),
    WCAG_AA,
  );
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
}

/** The room's device check, as a person passes it: camera and microphone start, then on. */
export async function checkDevices(page: Page) {
  await page.getByRole('button', { name: 'Check camera and microphone' }).click();
  await page.getByLabel('Microphone level').waitFor();
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
}

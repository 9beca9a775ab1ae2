import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage, seriousAccessibilityProblems } from './support/browser.js';

const PAGES = ['/', '/sign-in', '/console', '/join', '/admin', '/no-such-page'];
const LOCALES = ['en', 'de'] as const;

describe('the app shell in a real browser', () => {
  const baseUrl = inject('baseUrl');
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser.close());

  for (const locale of LOCALES) {
    describe(`in ${locale === 'en' ? 'English' : 'German'}`, () => {
      for (const path of PAGES) {
        it(`${path} renders with one heading, no CSP violation and no serious accessibility problem`, async () => {
          const { context, page, problems } = await openPage(browser, locale);
          try {
            const response = await page.goto(`${baseUrl}${path}`);
            expect(response?.status()).toBe(200);
            await page.locator('h1').first().waitFor();
            expect(await page.locator('h1').count()).toBe(1);
            expect(await page.getAttribute('html', 'lang')).toBe(locale);
            expect(await page.title()).not.toBe('');
            const findings = await seriousAccessibilityProblems(page);
            expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);
            expect(problems, problems.join('\n')).toEqual([]);
          } finally {
            await context.close();
          }
        });
      }
    });
  }

  it('shows different words in German than in English, and the clinic name from the server', async () => {
    const headings: Record<string, string> = {};
    for (const locale of LOCALES) {
      const { context, page } = await openPage(browser, locale);
      try {
        await page.goto(`${baseUrl}/join`);
        headings[locale] = (await page.locator('h1').innerText()).trim();
        await expect
          .poll(() => page.locator('header').innerText())
          .toContain('Riverside Family Practice');
      } finally {
        await context.close();
      }
    }
    expect(headings.en).toBeTruthy();
    expect(headings.de).toBeTruthy();
    expect(headings.de).not.toBe(headings.en);
  });

  it('switches language from the header, and keeps the choice after a reload', async () => {
    const { context, page } = await openPage(browser, 'en');
    try {
      await page.goto(`${baseUrl}/join`);
      const english = await page.locator('h1').innerText();
      await page.getByLabel('Language').selectOption('de');
      await expect.poll(() => page.getAttribute('html', 'lang')).toBe('de');
      expect(await page.locator('h1').innerText()).not.toBe(english);
      await page.reload();
      await page.locator('h1').waitFor();
      expect(await page.getAttribute('html', 'lang')).toBe('de');
      await page.getByLabel('Sprache').selectOption('en');
      await expect.poll(() => page.locator('h1').innerText()).toBe(english);
    } finally {
      await context.close();
    }
  });

  it('the checks can fail: an unlabelled field, an injected inline script and eval are caught', async () => {
    const { context, page, problems } = await openPage(browser, 'en');
    try {
      await page.goto(`${baseUrl}/sign-in`);
      await page.locator('h1').waitFor();
      await page.evaluate(() => {
        document.querySelector('main')?.append(document.createElement('input'));
        const script = document.createElement('script');
        script.textContent = 'window.injected = true';
        document.body.append(script);
      });
      const findings = await seriousAccessibilityProblems(page);
      expect(findings.map((f) => f.id)).toContain('label');
      expect(await page.evaluate(() => 'injected' in window)).toBe(false);
      await expect.poll(() => problems.join('\n')).toMatch(/Content Security Policy/);
      await expect.poll(() => problems.join('\n')).toMatch(/CSP violation: script-src-elem inline/);
      // Code compiled from a string, as zod's probe for compiled parsers does; the timer runs it
      // in the page, outside the DevTools call that CSP lets through.
      await page.evaluate(() => {
        (setTimeout as (code: string) => number)('window.evaluated = true');
      });
      await expect.poll(() => problems.join('\n')).toMatch(/CSP violation: script-src eval/);
      expect(await page.evaluate(() => 'evaluated' in window)).toBe(false);
    } finally {
      await context.close();
    }
  });

  it('serves the API documentation without policy violations', async () => {
    const { context, page, problems } = await openPage(browser, 'en');
    try {
      await page.goto(`${baseUrl}/api/docs`);
      await page.getByText('/api/clinic').first().waitFor();
      expect(problems, problems.join('\n')).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage, type WatchedPage } from './support/browser.js';
import { startDemoServer, type DemoServer } from './support/demo-server.js';
import { demoStaff, expectAccessible, signInFirstTime } from './support/staff-session.js';

const ADMIN = demoStaff('alex.');

interface Jwk {
  kty: string;
  crv?: string;
  d?: string;
}

describe("the administrator connects the clinic's EHR, and registers another system", () => {
  let server: DemoServer;
  let browser: Browser;
  let admin: WatchedPage;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startDemoServer(), launchBrowser()]);
    admin = await openPage(browser, 'en');
    await signInFirstTime(admin.page, server.baseUrl, ADMIN.email);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('makes the key pair, saves the connection, and registers a client with public keys only', async () => {
    const a = admin.page;
    await a.goto(`${server.baseUrl}/admin/ehr`);
    await a.getByRole('heading', { name: 'EHR connection', level: 1 }).waitFor();
    await a.getByText('No key pair yet.').waitFor();
    await expectAccessible(a);

    await a.getByRole('button', { name: 'Make a key pair' }).click();
    await a
      .getByText('A new key pair is made. Register its public key set with the EHR.')
      .waitFor();
    const jwksText = await a.getByLabel('Public key set').innerText();
    const keys = (JSON.parse(jwksText) as { keys: Jwk[] }).keys;
    // Only the public half is ever shown; the private key stays on the server, sealed.
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'EC', crv: 'P-384' });
    expect(keys[0]?.d).toBeUndefined();

    await a.getByLabel('FHIR base address of the EHR').fill('https://ehr.riverside.example/fhir');
    await a
      .getByLabel('Identifier system of the record number in the EHR')
      .fill('urn:oid:1.2.36.146.595.217.0.1');
    await a.getByLabel('Sign-in to the EHR').selectOption('smart-backend');
    await a.getByLabel('Client id at the EHR').fill('safeconsult-riverside');
    await a.getByLabel('Scopes to ask for').fill('system/Patient.rs system/Encounter.crs');
    await a.getByRole('button', { name: 'Save connection' }).click();
    await a.getByText('The EHR connection is saved.').waitFor();
    // What was saved is what the page shows after a reload.
    await a.reload();
    await a.getByLabel('Public key set').waitFor();
    expect(await a.getByLabel('FHIR base address of the EHR').inputValue()).toBe(
      'https://ehr.riverside.example/fhir',
    );
    expect(await a.getByLabel('Client id at the EHR').inputValue()).toBe('safeconsult-riverside');
    expect(await a.getByLabel('Public key set').innerText()).toBe(jwksText);
    await expectAccessible(a);

    // The same public keys, registered as the EHR's own administrator would register ours.
    await a.goto(`${server.baseUrl}/admin/system-clients`);
    await a.getByText('No system client is registered.').waitFor();
    const register = async (name: string, jwks: string) => {
      await a.getByLabel('Name').fill(name);
      await a.getByLabel('Public key set (JWKS)').fill(jwks);
      await a.getByLabel('Scopes', { exact: true }).fill('system/Patient.rs');
      await a.getByRole('button', { name: 'Register', exact: true }).click();
    };
    const withPrivatePart = JSON.stringify({ keys: [{ ...keys[0], d: 'c2VjcmV0' }] });
    await register('Careless registry', withPrivatePart);
    await a.getByRole('alert').filter({ hasText: 'register public keys only' }).waitFor();
    await register('Riverside EHR', jwksText);
    await a.getByText(/^Registered\. Give the client its id: [0-9a-f-]{36}$/).waitFor();
    const row = a.getByRole('row').filter({ hasText: 'Riverside EHR' });
    await row.getByText('Active').waitFor();
    expect(await a.getByRole('row').filter({ hasText: 'Careless registry' }).count()).toBe(0);
    await expectAccessible(a);

    await row.getByRole('button', { name: 'Disable' }).click();
    await a.getByText('Riverside EHR is disabled; its tokens no longer work.').waitFor();
    await row.getByText('Disabled').waitFor();
    // The refused private key is the one expected failure (400); nothing else went wrong.
    const refused = 'the server responded with a status of 400';
    expect(admin.problems.filter((m) => !m.includes(refused))).toEqual([]);
    expect(admin.problems.filter((m) => m.includes(refused))).toHaveLength(1);
  });
});

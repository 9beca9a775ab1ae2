import type { AddressInfo } from 'node:net';
import type { MedplumClient } from '@medplum/core';
import type { Observation, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEMO_PATIENTS, seedDemoClinic } from '../../demo/index.js';
import { createTestApp, type TestApp } from '../../test-support/context.js';
import { storeTargets } from '../../test-support/stores.js';
import { signInDemo } from '../../test-support/fhir-client.js';

const LENA = DEMO_PATIENTS[2]!.patient;

/**
 * An independent FHIR client (Medplum's) against the server on a real port, authenticated by a
 * staff session cookie: what it sends and expects of a FHIR R4 server is its own, not ours.
 */
describe.each(storeTargets())('a FHIR client library reads and searches us on %s', (target) => {
  let t: TestApp;
  let client: MedplumClient;

  beforeAll(async () => {
    t = await createTestApp(target, { MFA_REQUIRED_ROLES: 'none' });
    await seedDemoClinic(t.ctx);
    const session = await signInDemo(t.app, 'jonas.');
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    // The client library expects a browser's WebSocket global, which Node 20 lacks.
    globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket;
    const { MedplumClient } = await import('@medplum/core');
    client = new MedplumClient({
      baseUrl: `http://127.0.0.1:${port}/`,
      fhirUrlPath: 'fhir',
      cacheTime: 0,
      fetch: (url: string | URL | Request, init?: RequestInit) => {
        const headers = new Headers(init?.headers);
        headers.set('cookie', session.cookie);
        headers.set('x-csrf-token', session.csrf);
        return fetch(url, { ...init, headers });
      },
    });
  });
  afterAll(() => t.close());

  it('reads a patient, searches by name and follows references', async () => {
    const patient = await client.readResource('Patient', LENA.id!);
    expect(patient.name?.[0]?.family).toBe(LENA.name![0]!.family);
    expect(patient.meta?.versionId).toBe('1');
    const found = await client.searchResources('Patient', { family: LENA.name![0]!.family! });
    expect(found.map((p: Patient) => p.id)).toEqual([LENA.id]);
  });

  it('creates conditionally, updates, reads history and an old version', async () => {
    const body: Observation = {
      resourceType: 'Observation',
      status: 'final',
      identifier: [{ system: 'urn:test:interop', value: 'w-1' }],
      code: { coding: [{ system: 'http://loinc.org', code: '29463-7' }] },
      subject: { reference: `Patient/${LENA.id}` },
      effectiveDateTime: '2024-05-01T08:00:00Z',
      valueQuantity: { value: 70, unit: 'kg' },
    };
    const created = await client.createResourceIfNoneExist(body, 'identifier=urn:test:interop|w-1');
    const again = await client.createResourceIfNoneExist(body, 'identifier=urn:test:interop|w-1');
    expect(again.id).toBe(created.id);
    const updated = await client.updateResource({
      ...created,
      valueQuantity: { value: 71, unit: 'kg' },
    });
    expect(updated.meta?.versionId).toBe('2');
    const history = await client.readHistory('Observation', created.id);
    expect(history.entry?.map((e) => e.resource?.meta?.versionId)).toEqual(['2', '1']);
    const first = await client.readVersion('Observation', created.id, '1');
    expect(first.valueQuantity?.value).toBe(70);
  });

  it('searches with paging and includes', async () => {
    const bundle = await client.search('Observation', {
      patient: `Patient/${LENA.id}`,
      _count: '1',
      _include: 'Observation:patient',
    });
    expect(bundle.total).toBeGreaterThan(1);
    expect(bundle.entry?.map((e) => e.resource?.resourceType).sort()).toEqual([
      'Observation',
      'Patient',
    ]);
    const all: Observation[] = [];
    for await (const page of client.searchResourcePages('Observation', {
      patient: LENA.id!,
      _count: '2',
    })) {
      all.push(...page);
    }
    expect(all.length).toBe(bundle.total);
    expect(new Set(all.map((o) => o.id)).size).toBe(all.length);
  });

  it('reports our OperationOutcome as the error', async () => {
    await expect(client.search('Observation', { colour: 'red' })).rejects.toThrow(
      /not a search parameter/,
    );
  });
});

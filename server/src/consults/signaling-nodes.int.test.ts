import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { consultFixture } from '../test-support/consult-fixture.js';
import { createTestContext, type TestContext } from '../test-support/context.js';
import { SignalClient } from '../test-support/signal-client.js';
import { createTestStore, type TestStoreEnv } from '../test-support/stores.js';

const ORIGIN = 'http://localhost:3000';
const missing = [
  process.env.DATABASE_URL ? null : 'DATABASE_URL',
  process.env.NATS_URL ? null : 'NATS_URL',
].filter(Boolean);

/**
 * Two server nodes on one PostgreSQL database, linked by NATS: the clinician on one, the patient
 * on the other, one room. Needs both a PostgreSQL server and a NATS server (CI runs both).
 */
describe.skipIf(missing.length > 0)(
  `a consult room served by two nodes${missing.length > 0 ? ` (skipped: ${missing.join(' and ')} not set)` : ''}`,
  () => {
    let store: TestStoreEnv;
    const nodes: { tc: TestContext; app: FastifyInstance; url: string }[] = [];

    beforeAll(async () => {
      store = await createTestStore('postgres');
      const env = {
        MFA_REQUIRED_ROLES: 'none',
        PUBLIC_URL: ORIGIN,
        NATS_URL: process.env.NATS_URL ?? '',
        // Both nodes hold the same keys, as a deployment's nodes do.
        MASTER_KEY: randomBytes(32).toString('base64'),
      };
      for (let i = 0; i < 2; i++) {
        const tc = await createTestContext('postgres', env, store);
        const app = await buildApp(tc.ctx, { webRoot: null });
        await app.listen({ host: '127.0.0.1', port: 0 });
        const address = app.server.address();
        if (!address || typeof address === 'string') throw new Error('not listening');
        nodes.push({ tc, app, url: `ws://127.0.0.1:${address.port}` });
      }
    });
    afterAll(async () => {
      for (const node of nodes) {
        await node.app.close();
        await node.tc.close();
      }
      await store?.cleanup();
    });

    it('relays signaling and room state between a clinician on node A and a patient on node B', async () => {
      const [a, b] = nodes;
      if (!a || !b) throw new Error('two nodes expected');
      expect(a.tc.ctx.bus.kind).toBe('nats');
      // Sessions live in the store: a sign-in on node A works on node B too.
      const f = await consultFixture(a.app, a.tc.ctx);
      const { appointmentId, patientCookie } = await f.consult();
      const path = `/api/consults/${appointmentId}/signal`;
      const open = async (base: string, cookie: string) => {
        const result = await SignalClient.connect(`${base}${path}`, { origin: ORIGIN, cookie });
        if (!('client' in result)) throw new Error(`refused with ${result.status}`);
        return result.client;
      };

      const clinician = await open(a.url, f.clinician.session.cookie);
      const clinicianId = (await clinician.take('welcome')).participantId;
      const patient = await open(b.url, patientCookie);
      const patientId = (await patient.take('welcome')).participantId;
      // Node A hears of the arrival on node B.
      await clinician.take('state', (s) =>
        s.participants.some((p) => p.id === patientId && p.state === 'waiting'),
      );
      clinician.send({ type: 'admit', participantId: patientId });
      const admitted = await patient.take('state', (s) => s.you.state === 'admitted');
      expect(admitted.participants.map((p) => p.id).sort()).toEqual(
        [clinicianId, patientId].sort(),
      );
      await clinician.take('state', (s) =>
        s.participants.some((p) => p.id === patientId && p.state === 'admitted'),
      );

      clinician.send({ type: 'offer', to: patientId, sdp: 'v=0 from A' });
      expect(await patient.take('offer')).toEqual({
        type: 'offer',
        from: clinicianId,
        sdp: 'v=0 from A',
      });
      patient.send({ type: 'answer', to: clinicianId, sdp: 'v=0 from B' });
      expect((await clinician.take('answer')).sdp).toBe('v=0 from B');
      patient.send({ type: 'ice-candidate', to: clinicianId, candidate: null });
      expect((await clinician.take('ice-candidate')).from).toBe(patientId);

      clinician.send({ type: 'end' });
      await patient.take('ended');
      await clinician.take('ended');
      await Promise.all([patient.closed, clinician.closed]);
    });
  },
);

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../test-support/context.js';
import { storeTargets } from '../test-support/stores.js';
import { DEFAULT_DELIVERY_POLICY } from './delivery-policy.js';
import { startOutboxDelivery } from './delivery.js';
import type { DeliveryWorker } from './delivery-worker.js';
import { enqueueMessage, listMessages, type StoredMessage } from './service.js';

const TOKEN = 'gateway-token-for-the-test-0123';

interface Received {
  authorization: string | undefined;
  contentType: string | undefined;
  body: unknown;
}

/** A stand-in SMS gateway: answers each request with the next queued status (200 once empty). */
class TestGateway {
  readonly received: Received[] = [];
  statuses: number[] = [];
  #server: Server = createServer((req, res) => {
    void this.#handle(req).then((status) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ echo: 'never stored' }));
    });
  });

  async #handle(req: IncomingMessage): Promise<number> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    this.received.push({
      authorization: req.headers.authorization,
      contentType: req.headers['content-type'],
      body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
    });
    return this.statuses.shift() ?? 200;
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/messages`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe.each(storeTargets())('texts through the SMS gateway on %s', (target) => {
  const gateway = new TestGateway();
  let tc: TestContext;
  let clock: Date;
  let worker: DeliveryWorker | undefined;

  beforeAll(async () => {
    const url = await gateway.start();
    tc = await createTestContext(target, { SMS_GATEWAY_URL: url, SMS_GATEWAY_TOKEN: TOKEN });
    clock = new Date('2026-11-25T08:00:00Z');
    tc.ctx.now = () => clock;
  });
  afterAll(async () => {
    await tc.close();
    await gateway.stop();
  });
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
  });

  const entry = async (id: string): Promise<StoredMessage> => {
    const found = (await listMessages(tc.ctx.store.db, tc.ctx.fields, 50)).find((m) => m.id === id);
    if (!found) throw new Error('no such message');
    return found;
  };
  const queueText = (to: string, text: string) =>
    enqueueMessage(
      tc.ctx,
      tc.ctx.store.db,
      { channel: 'sms', purpose: 'consult_invitation', recipient: to, subject: '', body: text },
      clock,
    );

  it('retries after a 503 with the back-off, then records the 200 as sent', async () => {
    gateway.statuses = [503];
    worker = startOutboxDelivery(tc.ctx, { ...DEFAULT_DELIVERY_POLICY, pollIntervalMs: 20 });
    const id = await queueText('+44 7700 900231', 'Riverside: video consultation. Join: https://x');
    tc.ctx.outboxSignal.notify();

    await until(async () => (await entry(id)).lastError !== null, 'the refused attempt');
    expect(await entry(id)).toMatchObject({
      state: 'pending',
      attempts: 1,
      lastError: 'SMS gateway answered 503',
      nextAttemptAt: new Date(clock.getTime() + 30_000),
    });
    expect(gateway.received[0]).toEqual({
      authorization: `Bearer ${TOKEN}`,
      contentType: 'application/json',
      body: { to: '+44 7700 900231', text: 'Riverside: video consultation. Join: https://x' },
    });

    clock = new Date(clock.getTime() + 30_000);
    await until(async () => (await entry(id)).state === 'sent', 'the sent mark');
    expect(await entry(id)).toMatchObject({ attempts: 2, lastError: null });
    expect(gateway.received).toHaveLength(2);
  });

  it('leaves e-mail alone: without a mail transport it stays stored', async () => {
    worker = startOutboxDelivery(tc.ctx, { ...DEFAULT_DELIVERY_POLICY, pollIntervalMs: 20 });
    const before = gateway.received.length;
    const id = await enqueueMessage(
      tc.ctx,
      tc.ctx.store.db,
      {
        channel: 'email',
        purpose: 'consult_invitation',
        recipient: 'maria@mail.example',
        subject: 'Your consult',
        body: 'Join',
      },
      clock,
    );
    tc.ctx.outboxSignal.notify();
    await sleep(200);
    expect(await entry(id)).toMatchObject({ state: 'stored', attempts: 0 });
    expect(gateway.received).toHaveLength(before);
  });
});

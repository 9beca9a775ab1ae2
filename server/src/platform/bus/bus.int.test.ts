import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../log/index.js';
import { openBus, type Bus, type BusConfig } from './index.js';

const log = createLogger('silent');

/** The in-process bus always; NATS too where NATS_URL names a server (CI runs one). */
const targets: [string, BusConfig][] = [
  ['in-process', { kind: 'in-process' }],
  ...(process.env.NATS_URL
    ? [['NATS', { kind: 'nats', url: process.env.NATS_URL }] as [string, BusConfig]]
    : []),
];
if (!process.env.NATS_URL) {
  describe.skip('the NATS bus (NATS_URL is not set, so only the in-process bus was tested)', () => {
    it('is skipped', () => {});
  });
}

/** Collects what a subscriber receives and waits for a count of messages. */
function collector() {
  const got: unknown[] = [];
  let wake = () => {};
  return {
    got,
    handler: (message: unknown) => {
      got.push(message);
      wake();
    },
    async atLeast(count: number, ms = 2_000) {
      const until = Date.now() + ms;
      while (got.length < count && Date.now() < until) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 20);
        });
      }
      return got;
    },
  };
}

describe.each(targets)('the %s bus', (_name, config) => {
  let a: Bus;
  let b: Bus;
  beforeAll(async () => {
    a = await openBus(config, log);
    // Two connections stand for two nodes; the in-process bus is one node, so it is shared.
    b = config.kind === 'nats' ? await openBus(config, log) : a;
  });
  afterAll(async () => {
    await a.close();
    if (b !== a) await b.close();
  });

  const subject = () => `test.${Math.random().toString(36).slice(2)}`;

  it('delivers each message, in order, to every subscriber of its subject, the publisher’s own too', async () => {
    const s = subject();
    const mine = collector();
    const theirs = collector();
    await a.subscribe(s, mine.handler);
    await b.subscribe(s, theirs.handler);
    for (let i = 0; i < 20; i++) await a.publish(s, { i, text: 'ä€' });
    expect(await mine.atLeast(20)).toEqual(
      Array.from({ length: 20 }, (_, i) => ({ i, text: 'ä€' })),
    );
    expect(await theirs.atLeast(20)).toHaveLength(20);
  });

  it('keeps subjects apart and stops after unsubscribing', async () => {
    const s = subject();
    const other = collector();
    const here = collector();
    await b.subscribe(`${s}.other`, other.handler);
    const sub = await b.subscribe(s, here.handler);
    await a.publish(s, 1);
    expect(await here.atLeast(1)).toEqual([1]);
    await sub.unsubscribe();
    await a.publish(s, 2);
    await a.publish(`${s}.other`, 3);
    expect(await other.atLeast(1)).toEqual([3]);
    expect(here.got).toEqual([1]);
  });

  it('hands each subscriber its own copy', async () => {
    const s = subject();
    const first = collector();
    const second = collector();
    await a.subscribe(s, (m) => {
      (m as { n: number }).n = 99;
      first.handler(m);
    });
    await a.subscribe(s, second.handler);
    const sent = { n: 1 };
    await a.publish(s, sent);
    expect(await second.atLeast(1)).toEqual([{ n: 1 }]);
    expect(sent).toEqual({ n: 1 });
  });
});

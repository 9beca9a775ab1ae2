import type { AppContext } from '../context.js';
import { DEFAULT_DELIVERY_POLICY, type DeliveryPolicy } from './delivery-policy.js';
import { startDeliveryWorker, type DeliveryWorker } from './delivery-worker.js';
import { createSmtpTransport } from './smtp-transport.js';

/** Starts delivering queued messages with the configured transport; `stored` needs no worker. */
export function startOutboxDelivery(
  ctx: AppContext,
  policy: DeliveryPolicy = DEFAULT_DELIVERY_POLICY,
): DeliveryWorker {
  const { outbox } = ctx.config;
  switch (outbox.transport) {
    case 'stored':
      return { stop: async () => {} };
    case 'smtp':
      return startDeliveryWorker(
        {
          db: ctx.store.db,
          fields: ctx.fields,
          log: ctx.log,
          // Read at each use: tests move the clock of a running context.
          now: () => ctx.now(),
          signal: ctx.outboxSignal,
        },
        createSmtpTransport({ url: outbox.smtpUrl, from: outbox.from }),
        policy,
      );
  }
}

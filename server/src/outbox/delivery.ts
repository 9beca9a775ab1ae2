import type { AppContext } from '../context.js';
import { DEFAULT_DELIVERY_POLICY, type DeliveryPolicy } from './delivery-policy.js';
import {
  startDeliveryWorker,
  type DeliveryWorker,
  type DeliveryWorkerDeps,
} from './delivery-worker.js';
import { createSmsGatewayTransport } from './sms-gateway-transport.js';
import { createSmtpTransport } from './smtp-transport.js';

/**
 * Starts a delivery worker for each channel with a configured transport: e-mail over SMTP, texts
 * through the SMS gateway. A channel without one keeps its messages `stored` and needs no worker.
 */
export function startOutboxDelivery(
  ctx: AppContext,
  policy: DeliveryPolicy = DEFAULT_DELIVERY_POLICY,
): DeliveryWorker {
  const { outbox, smsGateway } = ctx.config;
  const deps = (channel: DeliveryWorkerDeps['channel']): DeliveryWorkerDeps => ({
    channel,
    db: ctx.store.db,
    fields: ctx.fields,
    log: ctx.log,
    // Read at each use: tests move the clock of a running context.
    now: () => ctx.now(),
    signal: ctx.outboxSignal,
  });
  const workers: DeliveryWorker[] = [];
  if (outbox.transport === 'smtp') {
    workers.push(
      startDeliveryWorker(
        deps('email'),
        createSmtpTransport({ url: outbox.smtpUrl, from: outbox.from }),
        policy,
      ),
    );
  }
  if (smsGateway) {
    workers.push(startDeliveryWorker(deps('sms'), createSmsGatewayTransport(smsGateway), policy));
  }
  return {
    async stop() {
      await Promise.all(workers.map((w) => w.stop()));
    },
  };
}

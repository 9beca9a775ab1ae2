import type { OutboxChannel } from '@safeconsult/protocol';
import type { FieldProtection } from '../platform/crypto/index.js';
import type { Logger } from '../platform/log/index.js';
import type { Database } from '../platform/db/index.js';
import { retryDelayMs, type DeliveryPolicy } from './delivery-policy.js';
import {
  claimNextMessage,
  markAttemptFailed,
  markSent,
  type ClaimedMessage,
} from './delivery-queue.js';
import type { DeliverySignal } from './delivery-signal.js';
import { openMessage } from './service.js';
import { DeliveryFailure, type MessageTransport } from './transport.js';

export interface DeliveryWorkerDeps {
  /** The channel whose messages this worker sends with its transport. */
  channel: OutboxChannel;
  db: Database;
  fields: FieldProtection;
  log: Logger;
  now: () => Date;
  signal: DeliverySignal;
}

export interface DeliveryWorker {
  /** Lets the send in flight finish and record its outcome, then stops and closes the transport. */
  stop(): Promise<void>;
}

/**
 * Sends due messages one at a time, oldest first, until stopped. Between messages it sleeps until
 * woken by the signal or the poll interval passes. Sending is at least once: a node that dies after
 * the relay accepted a message but before recording it leaves it to be sent again when the claim
 * runs out.
 */
export function startDeliveryWorker(
  deps: DeliveryWorkerDeps,
  transport: MessageTransport,
  policy: DeliveryPolicy,
): DeliveryWorker {
  let stopping = false;
  // Set by a wake-up that arrives while the worker is busy, so that it is not lost.
  let woken = false;
  let interruptSleep: (() => void) | undefined;
  const wake = () => {
    woken = true;
    interruptSleep?.();
  };
  const unlisten = deps.signal.listen(wake);

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken || stopping) {
        resolve();
        return;
      }
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        interruptSleep = undefined;
        resolve();
      }
      interruptSleep = done;
    });

  async function run(): Promise<void> {
    while (!stopping) {
      woken = false;
      let handled = false;
      try {
        handled = await deliverNext(deps, transport, policy);
      } catch (error) {
        // The store is unreachable or similar: nothing was sent that is not recorded; try later.
        deps.log.warn({ err: error }, 'outbox delivery could not reach the store');
      }
      if (!handled) await sleep(policy.pollIntervalMs);
    }
  }

  const running = run();
  return {
    async stop() {
      stopping = true;
      unlisten();
      interruptSleep?.();
      await running;
      transport.close();
    },
  };
}

/** Claims and sends one due message; false when none is due. */
async function deliverNext(
  deps: DeliveryWorkerDeps,
  transport: MessageTransport,
  policy: DeliveryPolicy,
): Promise<boolean> {
  const now = deps.now();
  const claim = await claimNextMessage(
    deps.db,
    deps.channel,
    now,
    new Date(now.getTime() + policy.claimMs),
  );
  if (!claim) return false;
  const about = {
    messageId: claim.id,
    channel: claim.channel,
    purpose: claim.purpose,
    attempt: claim.attempts,
  };
  let failure: string | undefined;
  try {
    await transport.send(openMessage(deps.fields, claim));
  } catch (error) {
    failure = describeFailure(error);
  }
  if (failure === undefined) {
    // Should recording fail, the claim runs out and the message goes again: at least once.
    await markSent(deps.db, claim, deps.now());
    deps.log.info(about, 'outbox message sent');
  } else {
    await recordFailure(deps, claim, failure, policy, about);
  }
  return true;
}

async function recordFailure(
  deps: DeliveryWorkerDeps,
  claim: ClaimedMessage,
  failure: string,
  policy: DeliveryPolicy,
  about: Record<string, unknown>,
): Promise<void> {
  const now = deps.now();
  const retryAt =
    claim.attempts < policy.maxAttempts
      ? new Date(now.getTime() + retryDelayMs(claim.attempts, policy))
      : null;
  await markAttemptFailed(deps.db, claim, failure, now, retryAt);
  if (retryAt) {
    deps.log.warn({ ...about, error: failure, retryAt }, 'outbox message not sent; will retry');
  } else {
    deps.log.error({ ...about, error: failure }, 'outbox message not sent; gave up');
  }
}

/** Only a transport's own summary is safe to keep; anything else is reduced to its type. */
function describeFailure(error: unknown): string {
  if (error instanceof DeliveryFailure) return error.message;
  return `unexpected ${error instanceof Error ? error.name : 'error'}`;
}

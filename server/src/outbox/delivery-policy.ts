/** How the delivery worker paces itself. */
export interface DeliveryPolicy {
  /** How often a worker looks for due messages when nothing woke it. */
  pollIntervalMs: number;
  /** Wait before the second attempt; each further attempt waits twice as long … */
  firstRetryDelayMs: number;
  /** … up to this. */
  maxRetryDelayMs: number;
  /** After this many failed attempts the message is marked failed. */
  maxAttempts: number;
  /** How long a claimed message is held: longer than any send can take. */
  claimMs: number;
}

/**
 * Retries span about five hours (30 s, 1, 2, 4 … 32 minutes, then hourly): long enough to ride
 * out a relay's restart or a fixed setting, short enough that an invitation link is still fresh.
 */
export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  pollIntervalMs: 10_000,
  firstRetryDelayMs: 30_000,
  maxRetryDelayMs: 3_600_000,
  maxAttempts: 12,
  claimMs: 5 * 60_000,
};

/** The wait after the `attempts`-th failed attempt (1-based): exponential, capped. */
export function retryDelayMs(
  attempts: number,
  policy: Pick<DeliveryPolicy, 'firstRetryDelayMs' | 'maxRetryDelayMs'>,
): number {
  return Math.min(policy.maxRetryDelayMs, policy.firstRetryDelayMs * 2 ** (attempts - 1));
}

import { describe, expect, it } from 'vitest';
import { DEFAULT_DELIVERY_POLICY, retryDelayMs } from './delivery-policy.js';

describe('delivery back-off', () => {
  it('doubles from 30 s up to an hour', () => {
    const delays = [1, 2, 3, 7, 8, 9, 11].map((n) => retryDelayMs(n, DEFAULT_DELIVERY_POLICY));
    expect(delays).toEqual([30_000, 60_000, 120_000, 1_920_000, 3_600_000, 3_600_000, 3_600_000]);
  });

  it('keeps trying for about five hours before giving up', () => {
    let total = 0;
    for (let n = 1; n < DEFAULT_DELIVERY_POLICY.maxAttempts; n++) {
      total += retryDelayMs(n, DEFAULT_DELIVERY_POLICY);
    }
    expect(total / 3_600_000).toBeCloseTo(5.06, 1);
  });
});

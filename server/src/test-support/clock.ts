import type { AppContext } from '../context.js';

/**
 * Runs `act` with the context's clock standing at `at`, so that what it writes (ledger entries,
 * sessions) carries that time; the clock runs on again afterwards, whatever happens.
 */
export async function withClockAt<T>(
  ctx: AppContext,
  at: string | Date,
  act: () => Promise<T>,
): Promise<T> {
  const real = ctx.now;
  ctx.now = () => new Date(at);
  try {
    return await act();
  } finally {
    ctx.now = real;
  }
}

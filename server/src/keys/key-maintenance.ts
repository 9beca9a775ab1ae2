import type { AppContext } from '../context.js';
import { encryptedColumns } from '../encrypted-columns.js';
import {
  countPending,
  reencryptAll,
  type EncryptedColumnRegistry,
} from '../platform/crypto/index.js';

/** How often a serving node reloads the data keys, to learn of versions another process added. */
export const KEY_REFRESH_MS = 5_000;

/**
 * How long after `keys rotate` a new version starts sealing beside running nodes: several refresh
 * intervals, so every node holds the key before any value names it, with room for clock skew.
 */
export const KEY_ACTIVATION_DELAY_MS = 4 * KEY_REFRESH_MS;

export interface KeyMaintenance {
  stop(): Promise<void>;
  /** Settles when the re-sealing found at start has finished or stopped. */
  readonly reencryption: Promise<void>;
}

/**
 * A serving node's part in key rotation: it reloads the data keys every few seconds (so values
 * sealed under a version added by `keys rotate` open here too), and at start re-seals, in the
 * background, whatever a rotation left under older versions (a `keys rotate --add-only`, or one
 * interrupted by a crash).
 */
export function startKeyMaintenance(
  ctx: AppContext,
  registry: EncryptedColumnRegistry = encryptedColumns(),
): KeyMaintenance {
  const abort = new AbortController();
  let refreshing: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    refreshing = ctx.keys.refresh(ctx.store.db, ctx.masterKey).catch((error: unknown) => {
      ctx.log.error({ err: error }, 'could not reload the data keys');
    });
  }, KEY_REFRESH_MS);
  timer.unref();
  const reencryption = resumeReencryption(ctx, registry, abort.signal);
  return {
    reencryption,
    stop: async () => {
      clearInterval(timer);
      abort.abort();
      await Promise.all([reencryption, refreshing]);
    },
  };
}

async function resumeReencryption(
  ctx: AppContext,
  registry: EncryptedColumnRegistry,
  signal: AbortSignal,
): Promise<void> {
  try {
    const active = ctx.fields.activeVersion();
    // With a single data key nothing can be sealed under an older one: no scan of every table.
    if (ctx.keys.versions().filter((k) => k.purpose === 'phi-fields').length < 2) return;
    const pending = await countPending(ctx.store.db, active, registry);
    if (pending === 0) return;
    ctx.log.info(
      { pending, version: active },
      're-sealing stored values under the active data key',
    );
    const report = await reencryptAll(ctx.store.db, ctx.fields, registry, { signal });
    ctx.log.info(
      { ...report, version: active },
      signal.aborted ? 're-sealing stopped; it resumes at the next start' : 're-sealing finished',
    );
  } catch (error) {
    ctx.log.error({ err: error }, 're-sealing failed; it resumes at the next start');
  }
}

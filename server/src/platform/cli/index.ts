import { stat } from 'node:fs/promises';
import { ConfigError, loadConfig, type Config } from '../config/index.js';
import { DataDirInUseError, migrationState, openStore, type Store } from '../db/index.js';
import { createLogger } from '../log/index.js';

/** Where an operator command writes: stdout for its report, stderr for everything else. */
export interface CommandOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Stops an operator command with a message for the operator (exit status 2). */
export class Unusable extends Error {}

export function configFrom(env: NodeJS.ProcessEnv): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) throw new Unusable(error.message);
    throw error;
  }
}

/**
 * Opens the configured store for an operator command: never an empty embedded store where the
 * operator meant an existing one, and only one whose schema this build knows.
 */
export async function openExistingStore(
  config: Config,
  io: CommandOutput,
  inUseHint = '',
): Promise<Store> {
  await assertStoreExists(config);
  // Warnings only, and on stderr: stdout carries the report.
  const log = createLogger('warn', { write: (line: string) => io.stderr(line) });
  let store: Store;
  try {
    store = await openStore(config.store, log);
  } catch (error) {
    // The embedded store opens in one process at a time: a running server keeps it.
    if (error instanceof DataDirInUseError) throw new Unusable(`${error.message}${inUseHint}`);
    throw error;
  }
  const state = await migrationState(store);
  if (state !== 'applied') {
    await store.close();
    throw new Unusable(
      state === 'pending'
        ? 'The store has no SafeConsult schema, or an older one: start this version of the server on it once, or use the version that last ran on it.'
        : 'The store was migrated by a newer version of SafeConsult: use that version.',
    );
  }
  return store;
}

/** Opening a missing embedded store would create an empty one: refused instead. */
export async function assertStoreExists(config: Config): Promise<void> {
  if (config.store.kind === 'pglite' && !(await isDirectory(config.store.dataDir))) {
    throw new Unusable(
      `There is no embedded store at ${config.store.dataDir}: set DATA_DIR to its folder.`,
    );
  }
}

function isDirectory(dir: string): Promise<boolean> {
  return stat(dir).then(
    (info) => info.isDirectory(),
    () => false,
  );
}

import { stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { encryptedColumns } from '../encrypted-columns.js';
import {
  configFrom,
  openExistingStore,
  Unusable,
  type CommandOutput,
} from '../platform/cli/index.js';
import type { Config } from '../platform/config/index.js';
import {
  countPending,
  FieldProtection,
  KeyRing,
  loadMasterKey,
  MasterKeyError,
  reencryptAll,
  retireUnusedKeyVersions,
  rewrapDataKeys,
  type MasterKey,
} from '../platform/crypto/index.js';
import type { Store } from '../platform/db/index.js';
import { KEY_ACTIVATION_DELAY_MS } from './key-maintenance.js';
import { keyStatusText, reportText } from './key-report.js';

const USAGE = `Usage: safeconsult keys status
       safeconsult keys rotate [--add-only] [--activate-after SECONDS]
       safeconsult keys reencrypt
       safeconsult keys retire
       safeconsult keys rotate-master --new-key-file FILE

Manages the data keys of the store the environment names (DATA_DIR or DATABASE_URL, as for the
server), unlocked by the configured master key (MASTER_KEY_FILE or MASTER_KEY).
  status         data key versions, and how many stored values each one seals
  rotate         add a new phi-fields key version, then re-seal every stored value under it, in
                 small batches beside running servers (PostgreSQL). Stopping it loses nothing.
    --add-only   only add the version; a server re-seals in the background when it next starts
    --activate-after SECONDS
                 when the new version starts sealing new values: by default 20 s on PostgreSQL, so
                 running servers load it first, and at once on the embedded store
  reencrypt      finish re-sealing after an interrupted rotate
  retire         delete older phi-fields versions that no stored value uses any more
  rotate-master  re-wrap every data key under the master key in FILE (created, mode 0600, if
                 missing), in one transaction; then point MASTER_KEY_FILE at it and restart
Exit status: 0 done, 1 values left that did not open, 2 usage or configuration error.`;

/** Shown when the embedded store is held by a running server. */
const EMBEDDED_IN_USE =
  '\nThe embedded store opens in one process at a time: stop the server, run ' +
  '"safeconsult keys rotate --add-only" (it takes a moment), and start the server again; it ' +
  're-seals the stored values in the background while it serves.';

interface KeysOptions {
  addOnly: boolean;
  activateAfterSeconds: number | undefined;
  newKeyFile: string | undefined;
  help: boolean;
}

/** `safeconsult keys …`. `signal` stops a re-sealing run between batches (Ctrl-C). */
export async function runKeysCommand(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  io: CommandOutput,
  signal?: AbortSignal,
): Promise<number> {
  try {
    const [subcommand, ...rest] = args;
    const options = parseOptions(rest);
    if (options.help) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    const command = subcommand && COMMANDS[subcommand];
    if (!command) throw new Unusable(USAGE);
    const config = configFrom(env);
    const master = await existingMasterKey(config);
    const store = await openExistingStore(config, io, EMBEDDED_IN_USE);
    try {
      const keys = await KeyRing.open(store.db, master);
      return await command({ config, store, master, keys, options, io, signal });
    } finally {
      await store.close();
    }
  } catch (error) {
    const known = error instanceof Unusable || error instanceof MasterKeyError;
    io.stderr(known ? `${error.message}\n` : `The keys command failed: ${String(error)}\n`);
    return 2;
  }
}

interface Run {
  config: Config;
  store: Store;
  master: MasterKey;
  keys: KeyRing;
  options: KeysOptions;
  io: CommandOutput;
  signal: AbortSignal | undefined;
}

const COMMANDS: Record<string, (run: Run) => Promise<number>> = {
  status: async ({ store, master, keys, io }) => {
    io.stdout(await keyStatusText(store.db, keys, master, encryptedColumns()));
    return 0;
  },
  rotate: async (run) => {
    const { store, master, keys, options, io } = run;
    const defaultDelay = store.kind === 'postgres' ? KEY_ACTIVATION_DELAY_MS : 0;
    const delayMs = (options.activateAfterSeconds ?? defaultDelay / 1000) * 1000;
    const activeFrom = new Date(Date.now() + delayMs);
    const version = await keys.rotate(store.db, master, 'phi-fields', activeFrom);
    io.stdout(
      `Added phi-fields key version ${version}, sealing from ${activeFrom.toISOString()}.\n`,
    );
    if (options.addOnly) {
      io.stdout('A server re-seals the stored values under it in the background when it starts.\n');
      return 0;
    }
    if (delayMs > 0) {
      io.stdout(`Waiting ${Math.ceil(delayMs / 1000)} s for running servers to load it.\n`);
      await sleep(delayMs, undefined, { signal: run.signal }).catch(() => undefined);
    }
    return reencrypt(run);
  },
  reencrypt: (run) => reencrypt(run),
  retire: async ({ store, keys, io }) => {
    const retired = await retireUnusedKeyVersions(store.db, keys, encryptedColumns());
    io.stdout(
      retired.length > 0
        ? `Retired phi-fields key versions ${retired.join(', ')}.\n`
        : 'No phi-fields key version can be retired: each older one still seals stored values.\n',
    );
    return 0;
  },
  'rotate-master': async ({ store, master, options, io }) => {
    if (!options.newKeyFile)
      throw new Unusable(`rotate-master needs --new-key-file FILE.\n\n${USAGE}`);
    const replacement = await loadMasterKey({ kind: 'file', path: options.newKeyFile });
    const count = await rewrapDataKeys(store.db, master, replacement);
    io.stdout(
      `Re-wrapped ${count} data keys under master key ${replacement.fingerprint} ` +
        `(${options.newKeyFile}${replacement.created ? ', created' : ''}).\n` +
        'Now set MASTER_KEY_FILE to that file (or MASTER_KEY to its content) and restart every ' +
        'server. Keep the old master key as long as backups made before now are kept.\n',
    );
    return 0;
  },
};

async function reencrypt({ store, keys, io, signal }: Run): Promise<number> {
  const registry = encryptedColumns();
  const fields = new FieldProtection(keys);
  io.stdout(`Re-sealing stored values under phi-fields key version ${fields.activeVersion()}.\n`);
  const report = await reencryptAll(store.db, fields, registry, {
    signal,
    onBatch: ({ table, column, resealed }) => io.stdout(`  ${table}.${column}: ${resealed}\n`),
  });
  const left = await countPending(store.db, fields.activeVersion(), registry);
  io.stdout(reportText(report, left, signal?.aborted ?? false));
  return report.unreadable > 0 ? 1 : 0;
}

/** The configured master key, never created here: a new key would open nothing in the store. */
async function existingMasterKey(config: Config): Promise<MasterKey> {
  const source = config.masterKey;
  if (source.kind === 'file' && !(await stat(source.path).catch(() => undefined))) {
    throw new Unusable(
      `The master key file ${source.path} does not exist: set MASTER_KEY_FILE or MASTER_KEY.`,
    );
  }
  return loadMasterKey(source);
}

function parseOptions(args: string[]): KeysOptions {
  try {
    const { values } = parseArgs({
      args,
      options: {
        'add-only': { type: 'boolean', default: false },
        'activate-after': { type: 'string' },
        'new-key-file': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    });
    const after = values['activate-after'];
    if (after !== undefined && !/^\d+$/.test(after)) {
      throw new Error('--activate-after takes a whole number of seconds');
    }
    return {
      addOnly: values['add-only'],
      activateAfterSeconds: after === undefined ? undefined : Number(after),
      newKeyFile: values['new-key-file'],
      help: values.help,
    };
  } catch (error) {
    throw new Unusable(`${(error as Error).message}\n\n${USAGE}`);
  }
}

import { readFile, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  assertStoreExists,
  configFrom,
  openExistingStore,
  Unusable,
  type CommandOutput,
} from '../../platform/cli/index.js';
import type { Config } from '../../platform/config/index.js';
import { HeadFileError, readHeadFile } from '../ledger/head-file.js';
import {
  loadTreeHeadSigningKey,
  TreeHeadKeyError,
  verifyingKeyFromPem,
  type TreeHeadVerifyingKey,
} from '../tree-head/signing-key.js';
import {
  describeStoredFailure,
  verifyStoredLedger,
  type FiledHeads,
  type StoredLedgerReport,
} from './stored-ledger.js';

const USAGE = `Usage: safeconsult audit verify [--public-key FILE]... [--heads-file FILE]... [--json]

Checks the audit ledger in the store the environment names (DATA_DIR or DATABASE_URL, as for the
server) against its signed tree heads: those in the store and those kept in the heads file.
  --public-key FILE  trust the Ed25519 public key (PEM) in FILE; repeat it for earlier keys.
                     Without it, the public half of the configured AUDIT_SIGNING_KEY[_FILE].
  --heads-file FILE  read the heads kept in FILE instead of AUDIT_HEADS_FILE; repeat it for the
                     heads files of several nodes.
  --json             print the report as one JSON object.
Exit status: 0 verified, 1 verification failed, 2 usage or configuration error.`;

/** Exit statuses: scripts tell a failed verification apart from one that could not run. */
const VERIFY_EXIT = { verified: 0, failed: 1, unusable: 2 } as const;

/**
 * `safeconsult audit …`: so far `verify`. Opens the configured store only to read it, in one
 * read-only snapshot; starts no server and applies no migration.
 */
export async function runAuditCommand(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  io: CommandOutput,
): Promise<number> {
  try {
    const [subcommand, ...rest] = args;
    if (subcommand !== 'verify') throw new Unusable(USAGE);
    const options = parseOptions(rest);
    if (options.help) {
      io.stdout(`${USAGE}\n`);
      return VERIFY_EXIT.verified;
    }
    const report = await verify(options, configFrom(env), io);
    io.stdout(options.json ? `${JSON.stringify(reportJson(report))}\n` : reportText(report));
    return report.ok ? VERIFY_EXIT.verified : VERIFY_EXIT.failed;
  } catch (error) {
    if (error instanceof Unusable) {
      io.stderr(`${error.message}\n`);
    } else {
      io.stderr(`The audit ledger could not be verified: ${(error as Error).message}\n`);
    }
    return VERIFY_EXIT.unusable;
  }
}

interface VerifyOptions {
  publicKeys: string[] | undefined;
  headsFiles: string[] | undefined;
  json: boolean;
  help: boolean;
}

function parseOptions(args: string[]): VerifyOptions {
  try {
    const { values } = parseArgs({
      args,
      options: {
        'public-key': { type: 'string', multiple: true },
        'heads-file': { type: 'string', multiple: true },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
    return {
      publicKeys: values['public-key'],
      headsFiles: values['heads-file'],
      json: values.json,
      help: values.help,
    };
  } catch (error) {
    throw new Unusable(`${(error as Error).message}\n\n${USAGE}`);
  }
}

async function verify(
  options: VerifyOptions,
  config: Config,
  io: CommandOutput,
): Promise<StoredLedgerReport> {
  // An empty store would verify trivially.
  await assertStoreExists(config);
  const keys = await trustedKeys(config, options.publicKeys);
  // The configured heads file may not exist yet (a node that has signed nothing); one named on the
  // command line is expected to.
  for (const file of options.headsFiles ?? []) {
    if (!(await stat(file).catch(() => undefined))) {
      throw new Unusable(`The heads file ${file} does not exist.`);
    }
  }
  const filed: FiledHeads[] = [];
  for (const file of options.headsFiles ?? [config.audit.headsFile]) {
    try {
      filed.push({ file, heads: await readHeadFile(file) });
    } catch (error) {
      if (!(error instanceof HeadFileError)) throw error;
      const failure = { check: 'heads-file', file, line: error.line } as const;
      return { ok: false, entriesRead: 0, failure, message: describeStoredFailure(failure) };
    }
  }
  // Read after the heads files, which only ever hold heads committed before: the store's snapshot
  // then includes every filed head that was not deleted.
  const store = await openExistingStore(config, io);
  try {
    return await store.db.transaction((tx) => verifyStoredLedger(tx, filed, keys), {
      isolationLevel: 'repeatable read',
      accessMode: 'read only',
    });
  } finally {
    await store.close();
  }
}

/** The keys given, or else the public half of the server's own signing key, never created here. */
async function trustedKeys(
  config: Config,
  publicKeyFiles: string[] | undefined,
): Promise<TreeHeadVerifyingKey[]> {
  try {
    if (publicKeyFiles) {
      return await Promise.all(
        publicKeyFiles.map(async (file) => verifyingKeyFromPem(await readFile(file, 'utf8'))),
      );
    }
    const { publicKey, keyId } = await loadTreeHeadSigningKey(config.audit.signingKey, {
      create: false,
    });
    return [{ publicKey, keyId }];
  } catch (error) {
    const { code, path } = error as NodeJS.ErrnoException;
    if (code === 'ENOENT') {
      throw new Unusable(`The public key file ${String(path)} does not exist.`);
    }
    if (!(error instanceof TreeHeadKeyError)) throw error;
    const hint = publicKeyFiles ? '' : ' Pass the public key with --public-key FILE.';
    throw new Unusable(`${error.message}${hint}`);
  }
}

function reportText(report: StoredLedgerReport): string {
  if (!report.ok) {
    return (
      `Audit ledger NOT verified: ${report.message}.\n` +
      `  failed check: ${report.failure.check} (after reading ${report.entriesRead} entries)\n`
    );
  }
  const files = report.headsInFiles.map(({ file, heads }) => `, ${heads} in ${file}`).join('');
  return (
    `Audit ledger verified: ${report.message}.\n` +
    `  signed heads: ${report.headsInStore} in the store${files}\n` +
    `  tree: ${report.entries} entries, root ${Buffer.from(report.rootHash).toString('hex')}, ` +
    'matching the stored tree state\n'
  );
}

function reportJson(report: StoredLedgerReport): object {
  if (!report.ok) return report;
  return { ...report, rootHash: Buffer.from(report.rootHash).toString('hex') };
}

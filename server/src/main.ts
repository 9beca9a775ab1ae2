#!/usr/bin/env node
import { buildApp } from './app.js';
import { runAuditCommand } from './audit/index.js';
import { createContext } from './context.js';
import { DEMO_STAFF, DEMO_STAFF_PASSWORD, seedDemoClinic } from './demo/index.js';
import { runKeysCommand } from './keys/index.js';
import { startBackgroundWork, stopOnSignals } from './lifecycle.js';
import { ConfigError, loadConfig } from './platform/config/index.js';
import { createLogger } from './platform/log/index.js';

const USAGE = `Usage: safeconsult [--demo]
       safeconsult audit verify [--help]
       safeconsult keys status|rotate|reencrypt|retire|rotate-master [--help]

Starts the SafeConsult server. Configuration comes from environment variables (see README).
  --demo         seed the demo clinic on first start (once; later starts keep the data as it is)
  audit verify   check the audit ledger against its signed tree heads, without starting the server
  keys …         rotate the data keys or the master key, and show which key seals how much data`;

const io = {
  stdout: (text: string) => process.stdout.write(text),
  stderr: (text: string) => process.stderr.write(text),
};

async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'audit') {
    process.exitCode = await runAuditCommand(argv.slice(1), process.env, io);
    return;
  }
  if (argv[0] === 'keys') {
    // Ctrl-C stops re-sealing between batches; what is done stays done.
    const stop = new AbortController();
    process.once('SIGINT', () => stop.abort());
    process.once('SIGTERM', () => stop.abort());
    process.exitCode = await runKeysCommand(argv.slice(1), process.env, io, stop.signal);
    return;
  }
  const unknown = argv.filter((a) => a !== '--demo');
  if (unknown.length > 0 || argv.includes('--help')) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(argv.includes('--help') ? 0 : 2);
  }
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  try {
    const ctx = await createContext(config, log);
    if (argv.includes('--demo')) {
      const outcome = await seedDemoClinic(ctx);
      log.info(
        { outcome },
        outcome === 'seeded' ? 'demo clinic seeded' : 'demo clinic already present',
      );
    }
    const app = await buildApp(ctx);
    stopOnSignals(app, ctx, startBackgroundWork(ctx));
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = config.publicUrl.replace(/:\d+$/, `:${port}`);
    log.info({ url, port, store: ctx.store.kind }, 'SafeConsult is ready');
    process.stderr.write(`\nSafeConsult is ready: open ${url}\n`);
    if (argv.includes('--demo')) {
      const accounts = DEMO_STAFF.map((s) => `  ${s.role.padEnd(17)} ${s.email}`).join('\n');
      process.stderr.write(
        `\nDemo staff accounts (password "${DEMO_STAFF_PASSWORD}"):\n${accounts}\n`,
      );
    }
    process.stderr.write('\n');
  } catch (error) {
    log.fatal({ err: error }, 'SafeConsult could not start');
    process.stderr.write(`SafeConsult could not start: ${(error as Error).message}\n`);
    process.exit(1);
  }
}

await main(process.argv.slice(2));

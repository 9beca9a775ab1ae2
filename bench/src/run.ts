// npm run bench: each SafeConsult path is measured beside a bare baseline in the same run, so the
// ratio survives a noisy machine. Writes bench/RESULTS.md.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { buildApp } from '../../server/src/app.js';
import { closeContext, createContext, type AppContext } from '../../server/src/context.js';
import { DEMO_PATIENTS } from '../../server/src/demo/index.js';
import { loadConfig } from '../../server/src/platform/config/index.js';
import { createLogger } from '../../server/src/platform/log/index.js';
import { formatTable, measure, type Comparison } from './measure.js';

async function contextOn(env: Record<string, string>): Promise<AppContext> {
  const config = loadConfig({
    MASTER_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'silent',
    ...env,
  });
  return createContext(config, createLogger('silent'));
}

async function storeComparisons(label: string, ctx: AppContext): Promise<Comparison[]> {
  const app = await buildApp(ctx, { webRoot: null });
  await app.ready();
  const api = await measure(`GET /api/clinic (full HTTP stack, in-process)`, () =>
    app.inject({ url: '/api/clinic' }),
  );
  const bare = await measure(`select from organisation`, () =>
    ctx.store.db.execute(sql`select name, default_locale, time_zone from organisation`),
  );
  await app.close();
  return [{ title: `API read vs bare select, ${label}`, subject: api, baseline: bare }];
}

async function encryptionComparison(ctx: AppContext): Promise<Comparison> {
  const patient = DEMO_PATIENTS[0]?.patient;
  const sealed = await measure(
    'encrypt + decrypt a FHIR Patient (AES-256-GCM)',
    () =>
      ctx.fields.decryptJson(
        ctx.fields.encryptJson(patient, 'patient.resource:x'),
        'patient.resource:x',
      ),
    2000,
  );
  const plain = await measure(
    'JSON stringify + parse',
    () => JSON.parse(JSON.stringify(patient)) as unknown,
    2000,
  );
  return { title: 'Field encryption vs plain serialisation', subject: sealed, baseline: plain };
}

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'safeconsult-bench-'));
const comparisons: Comparison[] = [];
try {
  const embedded = await contextOn({ DATA_DIR: dataDir });
  comparisons.push(...(await storeComparisons('embedded PGlite', embedded)));
  comparisons.push(await encryptionComparison(embedded));
  await closeContext(embedded);
  if (process.env.DATABASE_URL) {
    const server = await contextOn({ DATA_DIR: dataDir, DATABASE_URL: process.env.DATABASE_URL });
    comparisons.push(...(await storeComparisons('PostgreSQL server', server)));
    await closeContext(server);
  }
} finally {
  await rm(dataDir, { recursive: true, force: true });
}

const table = formatTable(comparisons);
const cpus = os.cpus();
const machine = `${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
const results = `# Benchmark results

Run with \`npm run bench\` (\`DATABASE_URL\` set adds the PostgreSQL rows). Each row measures a
SafeConsult path and its bare baseline in the same run; the median of 7 rounds is shown.

- date: ${new Date().toISOString()}
- machine: ${machine}

${table}
`;
await writeFile(fileURLToPath(new URL('../RESULTS.md', import.meta.url)), results);
console.log(table);

// npm run bench: each SafeConsult path is measured beside a bare baseline in the same run, so the
// ratio survives a noisy machine. Writes bench/RESULTS.md. `npm run bench -w bench -- signaling`
// (or `-- stores`, `-- records`) runs one part and rewrites only its section. The script runs Node with
// --no-turbo-inline-js-wasm-calls: with Cedar's WebAssembly calls inlined, Node 20's optimiser
// aborted about every other run ("unreachable code" while deoptimising) on the record reads.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { buildApp } from '../../server/src/app.js';
import { closeContext, type AppContext } from '../../server/src/context.js';
import { DEMO_PATIENTS } from '../../server/src/demo/index.js';
import {
  ARGON2_PARAMETERS,
  createStaffUser,
  setStaffPassword,
} from '../../server/src/identity/index.js';
import { hashPassword, verifyPassword } from '../../server/src/identity/password/password-hash.js';
import { createTestStore } from '../../server/src/test-support/stores.js';
import { seedDemoClinic } from '../../server/src/demo/index.js';
import { accessComparisons, decisionComparison, type AccessComparisons } from './access-bench.js';
import {
  embeddedLedgerResults,
  LEDGER_METHOD,
  serverLedgerResults,
  type AuditResults,
} from './audit-bench.js';
import { contextOn } from './context.js';
import { FIRST_FRAME_METHOD, firstFrameResults } from './first-frame-bench.js';
import { formatFirstFrame } from './first-frame-report.js';
import { formatGoals, formatTable, measure, type Comparison, type Goal } from './measure.js';
import { runConditions, writeResultsSection } from './results-file.js';
import { RECORDS_METHOD, recordsResults } from './records-bench.js';
import { formatRecords } from './records-report.js';
import { SIGNALING_METHOD, signalingResults } from './signaling-bench.js';
import { formatSignaling } from './signaling-report.js';

async function storeComparisons(label: string, ctx: AppContext): Promise<AccessComparisons> {
  await seedDemoClinic(ctx);
  const app = await buildApp(ctx, { webRoot: null });
  await app.ready();
  const api = await measure(`GET /api/clinic (full HTTP stack, in-process)`, () =>
    app.inject({ url: '/api/clinic' }),
  );
  const bare = await measure(`select from organisation`, () =>
    ctx.store.db.execute(sql`select name, default_locale, time_zone from organisation`),
  );
  await app.close();
  const access = await accessComparisons(label, ctx);
  return {
    ...access,
    comparisons: [
      { title: `API read vs bare select, ${label}`, subject: api, baseline: bare },
      ...access.comparisons,
    ],
  };
}

/**
 * A whole sign-in over HTTP (throttle checks, Argon2id verification, session creation, security
 * event) beside the Argon2id verification alone: the gap is everything but the hash.
 */
async function signInComparison(ctx: AppContext): Promise<Comparison> {
  const password = 'bench lantern orchard mosaic';
  const user = await createStaffUser(ctx.store.db, {
    email: 'bench@clinic.example',
    displayName: 'Bench',
    role: 'front_desk',
  });
  await setStaffPassword(ctx.store.db, user.id, password, new Date());
  const app = await buildApp(ctx, { webRoot: null });
  await app.ready();
  let n = 0;
  const signIn = await measure(
    'POST /api/auth/sign-in (full stack)',
    async () => {
      // Spread over addresses: the per-address HTTP budget is a flood guard, not what is measured.
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        payload: { email: 'bench@clinic.example', password },
        remoteAddress: `10.0.${Math.floor(n / 250) % 250}.${n++ % 250}`,
      });
      if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode}`);
    },
    20,
    5,
  );
  const stored = await hashPassword(password);
  const hashOnly = await measure(
    'Argon2id verify alone',
    () => verifyPassword(stored, password),
    20,
    5,
  );
  await app.close();
  const { memoryCost, timeCost, parallelism } = ARGON2_PARAMETERS;
  return {
    title: `Sign-in vs its hash (Argon2id m=${memoryCost} KiB, t=${timeCost}, p=${parallelism})`,
    subject: signIn,
    baseline: hashOnly,
  };
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

const PARTS = ['stores', 'signaling', 'first-frame', 'records'] as const;
type Part = (typeof PARTS)[number];
const asked = process.argv.slice(2);
const unknown = asked.filter((a) => !(PARTS as readonly string[]).includes(a));
if (unknown.length > 0)
  throw new Error(`Unknown bench ${unknown.join(', ')}; known: ${PARTS.join(', ')}.`);
const runs = (part: Part) => asked.length === 0 || asked.includes(part);
/** The run takes minutes: say where it is. */
const step = (what: string) => console.error(`bench: ${what}`);

/** Reads, encryption, decisions, sign-in and the audit ledger, on each store. */
async function storesSection(dataDir: string): Promise<string> {
  // Whatever else the machine ran meanwhile shows in its load; the ratios are meant to survive it.
  const loadAtStart = os.loadavg()[0] ?? 0;
  const comparisons: Comparison[] = [];
  const goals: Goal[] = [];
  const notes: string[] = [];
  const add = (ledger: AuditResults) => {
    comparisons.push(...ledger.comparisons);
    goals.push(...ledger.goals);
    notes.push(...ledger.notes);
  };
  step('embedded PGlite: reads, encryption, decisions, sign-in');
  const embedded = await contextOn({ DATA_DIR: dataDir });
  const embeddedReads = await storeComparisons('embedded PGlite', embedded);
  comparisons.push(...embeddedReads.comparisons);
  comparisons.push(await encryptionComparison(embedded));
  comparisons.push(await decisionComparison(embedded));
  comparisons.push(await signInComparison(embedded));
  step('embedded PGlite: audit ledger');
  add(await embeddedLedgerResults(embedded, embeddedReads.recording));
  await closeContext(embedded);
  if (process.env.DATABASE_URL) {
    // A database of its own, dropped afterwards, like the tests'.
    const database = await createTestStore('postgres');
    try {
      step('PostgreSQL server: reads');
      const server = await contextOn(database.env);
      const serverReads = await storeComparisons('PostgreSQL server', server);
      comparisons.push(...serverReads.comparisons);
      step(
        'PostgreSQL server: audit ledger (appends, a ledger of a million entries, proofs, verification)',
      );
      add(await serverLedgerResults(server, serverReads.recording));
      await closeContext(server);
    } finally {
      await database.cleanup();
    }
  }
  const table = formatTable(comparisons);
  const goalTable = formatGoals(goals);
  console.log(`${table}\n\n${goalTable}\n\n${notes.join('\n')}`);
  return `Run with \`npm run bench\` (\`DATABASE_URL\` set adds the PostgreSQL rows). Each row measures a
SafeConsult path and its bare baseline in the same run, sequentially (one call at a time); each
figure is the median of 5 to 7 rounds. The sign-in row sizes servers: one core signs in about that
many staff per second at the configured Argon2id cost.

${runConditions(loadAtStart)}

${table}

## Audit ledger goals

${LEDGER_METHOD}

${goalTable}

${notes.map((n) => `- ${n}`).join('\n')}`;
}

/** The consult rooms' signaling under load on one node. */
async function signalingSection(dataDir: string): Promise<string> {
  const loadAtStart = os.loadavg()[0] ?? 0;
  const results = await signalingResults(dataDir, step);
  const { table, goals } = formatSignaling(results);
  console.log(`${table}\n\n${goals}`);
  return `## Consult room signaling under load

Run with \`npm run bench -w bench -- signaling\` (part of \`npm run bench\`).

${SIGNALING_METHOD}

${runConditions(loadAtStart)}

${table}

${goals}`;
}

/** From the clinician's admission to video both ways, in the browser, beside the bare pair. */
async function firstFrameSection(dataDir: string): Promise<string> {
  const loadAtStart = os.loadavg()[0] ?? 0;
  const { table, goals } = formatFirstFrame(await firstFrameResults(dataDir, step));
  console.log(`${table}\n\n${goals}`);
  return `## First video frame after the admission

Run with \`npm run bench -w bench -- first-frame\` (part of \`npm run bench\`; needs the built web
app and Chromium at /usr/bin/chromium, or \`CHROMIUM_PATH\`). \`BENCH_FIRST_FRAME_ROUNDS\` changes
the number of rounds (10).

${FIRST_FRAME_METHOD}

${runConditions(loadAtStart)}

${table}

${goals}`;
}

/** The record read and a typical search under load on PostgreSQL, beside a bare point select. */
async function recordsSection(): Promise<string> {
  const loadAtStart = os.loadavg()[0] ?? 0;
  const { cases, baseline, notes } = await recordsResults(step);
  const table = formatRecords(cases, baseline);
  console.log(`${table}\n\n${notes.join('\n')}`);
  return `## Patient records under load, against PostgreSQL's own limit

Run with \`npm run bench -w bench -- records\` (part of \`npm run bench\` when \`DATABASE_URL\` is
set; it needs PostgreSQL).

${RECORDS_METHOD}

${runConditions(loadAtStart)}

${table}

${notes.map((n) => `- ${n}`).join('\n')}`;
}

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'safeconsult-bench-'));
try {
  if (runs('stores')) await writeResultsSection('stores', await storesSection(dataDir));
  if (runs('signaling')) await writeResultsSection('signaling', await signalingSection(dataDir));
  if (runs('first-frame'))
    await writeResultsSection('first-frame', await firstFrameSection(dataDir));
  // Without PostgreSQL a full run leaves the records section as it was; asked for, it fails.
  if (asked.includes('records') || (runs('records') && process.env.DATABASE_URL))
    await writeResultsSection('records', await recordsSection());
} finally {
  await rm(dataDir, { recursive: true, force: true });
}

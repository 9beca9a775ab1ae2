import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { AppContext } from '../../server/src/context.js';
import {
  appendAuditEntries,
  consistencyProofFromStore,
  inclusionProofFromStore,
  storedLedgerEntries,
  storedTreeHeads,
  storedTreeState,
  verifyConsistency,
  verifyInclusion,
  verifyLedger,
  type AuditEntryInput,
  type LedgerEntry,
} from '../../server/src/audit/index.js';
import {
  INTEGRATION_BATCH,
  SUBTREE_STORE_LEVEL,
  integrateStep,
} from '../../server/src/audit/ledger/integrate.js';
import { startLedgerIntegrator } from '../../server/src/lifecycle.js';
import type { Database } from '../../server/src/platform/db/index.js';
import { measure, median, type Comparison, type Goal, type Measurement } from './measure.js';

const WRITERS = 8;
/**
 * What a writer commits: one request's decision per transaction, or a list page's decisions (one
 * per patient on the page) in one insert; each shape appends about the same number of entries.
 */
const APPEND_SHAPES = [
  { entriesPerTransaction: 1, transactionsPerWriter: 1_000 },
  { entriesPerTransaction: 20, transactionsPerWriter: 60 },
] as const;
const APPEND_ROUNDS = 3;
/** The ledger the proof and verification goals are stated for. */
const LARGE_LEDGER = 1_000_000;
/** PGlite is the single-node default; a smaller ledger keeps the run short and measures the same. */
const EMBEDDED_LEDGER = 50_000;
/** Entries the in-memory verifier checks, read from the store beforehand. */
const IN_MEMORY_ENTRIES = 100_000;

const GOAL_APPENDS = 5_000;
const GOAL_READ_OVERHEAD = 0.15;
const GOAL_VERIFY = 100_000;

const count = (n: number) => n.toLocaleString('en');
const entriesOf = (n: number) => `${count(n)} ${n === 1 ? 'entry' : 'entries'}`;
const ms = (m: Measurement) => `${(1000 / m.opsPerSecond).toFixed(2)} ms`;

/** How the ledger's figures are taken, for the results file. */
export const LEDGER_METHOD = `- Appends (PostgreSQL): ${WRITERS} writers at once each commit transactions of their own (${APPEND_SHAPES.map((s) => `${count(s.transactionsPerWriter)} of ${entriesOf(s.entriesPerTransaction)}`).join(', or ')}) while the product's integrator runs; the clock stops when the tree holds every entry. Median of ${APPEND_ROUNDS} rounds, taking turns with the baseline: the same transactions, from the same function, into a copy of \`audit_entry\` without its indexes, triggers or integration.
- Read overhead: the same record read decided only, against decided and its entry committed before the response leaves (rows above), rounds taking turns.
- The large ledger: one \`insert … select generate_series\`, then \`integrateStep\` batches; proofs use the stored subtree hashes (2^${SUBTREE_STORE_LEVEL} leaves and more) and leaf hashes read from the store, and each is checked against the stored root.
- Verification: \`verifyLedger\` over every stored entry, read in pages as the verifier reads them, beside the same verifier over ${count(IN_MEMORY_ENTRIES)} entries already in memory.`;

export interface AuditResults {
  comparisons: Comparison[];
  goals: Goal[];
  /** Lines for the results that are sizes rather than rates. */
  notes: string[];
}

function accessEntry(): AuditEntryInput {
  const patientId = randomUUID();
  return {
    at: new Date(),
    category: 'access',
    action: 'readRecord',
    outcome: 'allowed',
    actor: { type: 'staff', id: randomUUID(), role: 'clinician' },
    patientId,
    resource: { type: 'RecordSection', patientId, section: 'problems' },
    policies: ['care-team'],
    policyVersion: 1,
    requestId: randomUUID(),
    address: '10.0.0.1',
  };
}

interface AppendShape {
  entriesPerTransaction: number;
  transactionsPerWriter: number;
}

/** WRITERS concurrent writers, each appending its entries in transactions of their own. */
async function concurrentAppends(db: Database, shape: AppendShape): Promise<number> {
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      for (let i = 0; i < shape.transactionsPerWriter; i++) {
        const entries = Array.from({ length: shape.entriesPerTransaction }, accessEntry);
        await db.transaction((tx) => appendAuditEntries(tx, entries));
      }
    }),
  );
  return WRITERS * shape.transactionsPerWriter * shape.entriesPerTransaction;
}

const treeSize = async (db: Database) => (await storedTreeState(db))?.treeSize ?? 0;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/**
 * Appends as the product makes them on PostgreSQL, with the product's integrator running: the
 * time runs until every entry has its place in the tree. Beside it, the same transactions from
 * the same function into a copy of the table without its indexes, triggers or integration (a
 * schema of its own on the search path, so not one statement differs).
 */
async function appendComparisons(ctx: AppContext): Promise<Comparison[]> {
  const { store } = ctx.config;
  if (store.kind !== 'postgres') throw new Error('Append throughput is measured on PostgreSQL.');
  const { db } = ctx.store;
  await db.execute(sql`create schema bench_plain`);
  await db.execute(
    sql`create table bench_plain.audit_entry (like public.audit_entry including defaults)`,
  );
  const pool = new pg.Pool({
    connectionString: store.url,
    options: '-c search_path=bench_plain',
    max: 10,
  });
  const plainDb = drizzle({ client: pool }) as unknown as Database;
  const integrator = startLedgerIntegrator(ctx);
  try {
    const comparisons: Comparison[] = [];
    for (const shape of APPEND_SHAPES) {
      const ledgerRates: number[] = [];
      const plainRates: number[] = [];
      for (let round = 0; round < APPEND_ROUNDS; round++) {
        let entries = 0;
        const start = await treeSize(db);
        const ledgerSeconds = await timed(async () => {
          entries = await concurrentAppends(db, shape);
          while ((await treeSize(db)) < start + entries) {
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
        });
        ledgerRates.push(entries / ledgerSeconds);
        plainRates.push(entries / (await timed(() => concurrentAppends(plainDb, shape))));
      }
      comparisons.push({
        title: `Appends, ${WRITERS} concurrent writers, ${entriesOf(shape.entriesPerTransaction)} per transaction, PostgreSQL server`,
        subject: {
          name: 'committed and integrated (entries/s)',
          opsPerSecond: median(ledgerRates),
        },
        baseline: {
          name: 'the same transactions into the table without indexes or ledger',
          opsPerSecond: median(plainRates),
        },
      });
    }
    return comparisons;
  } finally {
    await integrator.stop();
    await pool.end();
  }
}

/**
 * Fills the ledger with `size` entries the fast way, one `insert … select generate_series`, then
 * integrates them in the integrator's own steps. Returns both rates.
 */
async function buildLedger(
  ctx: AppContext,
  size: number,
): Promise<{ insert: Measurement; integrate: Measurement }> {
  const { db } = ctx.store;
  const insertSeconds = await timed(() =>
    db.execute(sql`
      insert into audit_entry (at, category, action, outcome, actor_type, actor_id, actor_role,
                               patient_id, resource, policies, policy_version, request_id, address)
      select now() - make_interval(secs => ${size} - i), 'access', 'readRecord',
             case when i % 50 = 0 then 'refused' else 'allowed' end, 'staff',
             md5('staff' || i % 40)::uuid::text, 'clinician', md5('patient' || i % 5000)::uuid,
             jsonb_build_object('type', 'RecordSection', 'patientId', md5('patient' || i % 5000)::uuid,
                                'section', 'problems'),
             array['care-team'], 1, md5('request' || i)::uuid::text, '10.0.0.1'
      from generate_series(1, ${size}::int) as i`),
  );
  const { audit } = ctx.config;
  const schedule = { everyEntries: audit.headEveryEntries, everyMs: audit.headEveryMs };
  const integrateSeconds = await timed(async () => {
    for (;;) {
      const step = await integrateStep(db, ctx.auditKey, schedule, new Date());
      if (step.integrated < INTEGRATION_BATCH) return;
    }
  });
  return {
    insert: {
      name: `insert … generate_series of ${count(size)} entries`,
      opsPerSecond: size / insertSeconds,
    },
    integrate: {
      name: `integrateStep in batches of ${count(INTEGRATION_BATCH)}`,
      opsPerSecond: size / integrateSeconds,
    },
  };
}

/**
 * Inclusion and consistency proofs at the stored tree's size, each checked against the stored
 * root (a wrong proof would make the timing meaningless), beside a point select of one leaf hash.
 */
async function proofComparisons(
  ctx: AppContext,
): Promise<{ comparisons: Comparison[]; notes: string[] }> {
  const { db } = ctx.store;
  const { treeSize: size, rootHash: root } = (await storedTreeState(db))!;
  // Picked before the clock starts: only the proof is timed.
  const earlierHeads = (await storedTreeHeads(db)).filter((h) => h.treeSize < size);
  const pick = (n: number) => 1 + Math.floor(Math.random() * (n - 1));
  let inclusionHashes = 0;
  const inclusion = await measure(
    `inclusion proof at ${count(size)} entries (random entry)`,
    async () => {
      const sequence = pick(size);
      const proof = await inclusionProofFromStore(db, sequence, size);
      if (!verifyInclusion(sequence - 1, size, proof.leafHash, proof.inclusionPath, root))
        throw new Error('Bad inclusion proof.');
      inclusionHashes = Math.max(inclusionHashes, proof.inclusionPath.length);
    },
    20,
    5,
  );
  let consistencyHashes = 0;
  const consistency = await measure(
    `consistency proof to ${count(size)} entries (from a random signed head)`,
    async () => {
      const head = earlierHeads[Math.floor(Math.random() * earlierHeads.length)]!;
      const from = head.treeSize;
      const proof = await consistencyProofFromStore(db, from, size);
      if (!verifyConsistency(from, size, head.rootHash, root, proof))
        throw new Error('Bad consistency proof.');
      consistencyHashes = Math.max(consistencyHashes, proof.length);
    },
    20,
    5,
  );
  const pointSelect = await measure(
    'select one leaf hash by sequence',
    () => db.execute(sql`select leaf_hash from audit_entry where sequence = ${pick(size)}`),
    200,
    5,
  );
  return {
    comparisons: [
      {
        title: 'Inclusion proof from the store, PostgreSQL server',
        subject: inclusion,
        baseline: pointSelect,
      },
      {
        title: 'Consistency proof from the store, PostgreSQL server',
        subject: consistency,
        baseline: pointSelect,
      },
    ],
    notes: [
      `Proof sizes at ${count(size)} entries: inclusion at most ${inclusionHashes} hashes (${inclusionHashes * 32} bytes), ` +
        `consistency at most ${consistencyHashes} hashes (${consistencyHashes * 32} bytes), over the entries sampled.`,
    ],
  };
}

/**
 * `verifyLedger` over the whole stored ledger, read from the store as the verification command
 * does, beside the same verifier over entries already in memory.
 */
async function verificationComparison(ctx: AppContext, label: string): Promise<Comparison> {
  const { db } = ctx.store;
  const heads = await storedTreeHeads(db);
  let entries = 0;
  const fromStoreSeconds = await timed(async () => {
    const report = await verifyLedger(storedLedgerEntries(db), heads, [ctx.auditKey]);
    if (!report.ok) throw new Error(report.message);
    entries = report.entries;
  });
  const inMemory: LedgerEntry[] = [];
  for await (const entry of storedLedgerEntries(db)) {
    inMemory.push(entry);
    if (inMemory.length === IN_MEMORY_ENTRIES) break;
  }
  const memoryHeads = heads.filter((h) => h.treeSize <= inMemory.length);
  const inMemorySeconds = await timed(async () => {
    const report = await verifyLedger(inMemory, memoryHeads, [ctx.auditKey]);
    if (!report.ok) throw new Error(report.message);
  });
  return {
    title: `Verification, ${label}`,
    subject: {
      name: `verifyLedger over ${count(entries)} entries read from the store (entries/s)`,
      opsPerSecond: entries / fromStoreSeconds,
    },
    baseline: {
      name: `verifyLedger over ${count(inMemory.length)} entries in memory`,
      opsPerSecond: inMemory.length / inMemorySeconds,
    },
  };
}

/** Everything about the ledger on a PostgreSQL server: appends, a 1M-entry ledger, its proofs and verification. */
export async function serverLedgerResults(
  ctx: AppContext,
  readOverhead: Comparison,
): Promise<AuditResults> {
  const appends = await appendComparisons(ctx);
  const built = await buildLedger(ctx, LARGE_LEDGER);
  const proofs = await proofComparisons(ctx);
  const verification = await verificationComparison(ctx, 'PostgreSQL server');
  return {
    comparisons: [
      ...appends,
      {
        title: `Building a ${count(LARGE_LEDGER)}-entry ledger, PostgreSQL server`,
        subject: built.integrate,
        baseline: built.insert,
      },
      ...proofs.comparisons,
      verification,
    ],
    goals: [
      ...appends.map((append, i) =>
        rateGoal(
          `appends committed and integrated, PostgreSQL server, ${count(APPEND_SHAPES[i]!.entriesPerTransaction)} per transaction`,
          append.subject,
          GOAL_APPENDS,
        ),
      ),
      overheadGoal('PostgreSQL server', readOverhead),
      rateGoal(`verification from the store, PostgreSQL server`, verification.subject, GOAL_VERIFY),
      rateGoal(`verification in memory`, verification.baseline, GOAL_VERIFY),
    ],
    notes: proofs.notes,
  };
}

/** The embedded store: the read overhead and verification over a smaller ledger built the same way. */
export async function embeddedLedgerResults(
  ctx: AppContext,
  readOverhead: Comparison,
): Promise<AuditResults> {
  const built = await buildLedger(ctx, EMBEDDED_LEDGER);
  const verification = await verificationComparison(ctx, 'embedded PGlite');
  return {
    comparisons: [
      {
        title: `Building a ${count(EMBEDDED_LEDGER)}-entry ledger, embedded PGlite`,
        subject: built.integrate,
        baseline: built.insert,
      },
      verification,
    ],
    goals: [
      overheadGoal('embedded PGlite', readOverhead),
      rateGoal('verification from the store, embedded PGlite', verification.subject, GOAL_VERIFY),
    ],
    notes: [],
  };
}

function rateGoal(what: string, measured: Measurement, target: number): Goal {
  return {
    what,
    target: `≥ ${count(target)} entries/s`,
    measured: `${count(Math.round(measured.opsPerSecond))} entries/s`,
    met: measured.opsPerSecond >= target,
  };
}

/** The ledger's share of a record read: the recorded read against the same read decided only. */
function overheadGoal(label: string, readOverhead: Comparison): Goal {
  const overhead = readOverhead.baseline.opsPerSecond / readOverhead.subject.opsPerSecond - 1;
  return {
    what: `ledger overhead on a record read, ${label}`,
    target: `≤ ${GOAL_READ_OVERHEAD * 100} %`,
    measured: `${(overhead * 100).toFixed(0)} % (${ms(readOverhead.subject)} vs ${ms(readOverhead.baseline)})`,
    met: overhead <= GOAL_READ_OVERHEAD,
  };
}

import { performance } from 'node:perf_hooks';
import type { Patient } from 'fhir/r4.js';
import { count } from 'drizzle-orm';
import pg from 'pg';
import { buildApp } from '../../server/src/app.js';
import { auditEntryTable } from '../../server/src/audit/index.js';
import { closeContext } from '../../server/src/context.js';
import {
  DEMO_PATIENTS,
  DEMO_STAFF,
  DEMO_STAFF_PASSWORD,
  seedDemoClinic,
} from '../../server/src/demo/index.js';
import {
  addClinicalResource,
  createPatient,
  MRN_SYSTEM,
  type Observation,
} from '../../server/src/records/index.js';
import { createTestStore } from '../../server/src/test-support/stores.js';
import { contextOn } from './context.js';
import { summarise, type FixedLoad, type LoadSummary } from './records-report.js';

const LENA = DEMO_PATIENTS[2]!.patient.id!;
const BECKER = DEMO_STAFF.find((s) => s.email.startsWith('jonas.'))!;
const LOINC = 'http://loinc.org';
const CODES = ['8867-4', '8310-5', '29463-7', '59408-5'];
const SEARCHED = CODES[0]!;

const setting = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};

export const RECORDS_METHOD = `The real app on a PostgreSQL database of its own (created and dropped by the run), with the
demo clinic, \`BENCH_RECORDS_PATIENTS\` (1,000) more patients written through the records service
(encrypted, with their blind indexes), and \`BENCH_RECORDS_OBSERVATIONS\` (200) observations of one
patient, a quarter of them with the searched code. A clinician on that patient's care team signs in;
then each path runs for \`BENCH_RECORDS_SECONDS\` (10) after 2 s of warm-up, with
\`BENCH_RECORDS_CONCURRENCY\` (8) requests always in flight, through \`app.inject\` (the full Fastify
stack, in-process: session, validation, policy decision, ledger entry committed before the answer,
decryption). The baseline is pgbench's \`-S\` in spirit: \`select resource from patient where id = $1\`
for random ids of the same patient table, through the same \`pg\` driver with a pool of the app's size
(10) and the same concurrency. The ratio is the bare select's rate over the path's. The paths run
one after another, not interleaved, and the app and its load share one Node process (one core),
while PostgreSQL has the others; the search decrypts all 50 matches before it pages (see
docs/fhir.md), and each search files two ledger entries (the named patient, and the page).`;

/** `fn` kept `concurrency` deep for `seconds`: each completion's latency, and the failures. */
async function fixedLoad(
  name: string,
  fn: () => Promise<void>,
  concurrency: number,
  seconds: number,
): Promise<FixedLoad> {
  const latenciesMs: number[] = [];
  let errors = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const began = performance.now();
        try {
          await fn();
          latenciesMs.push(performance.now() - began);
        } catch {
          errors += 1;
        }
      }
    }),
  );
  return {
    name,
    concurrency,
    seconds: (performance.now() - start) / 1000,
    completed: latenciesMs.length,
    errors,
    latenciesMs,
  };
}

function observation(i: number): Observation {
  const code = CODES[i % CODES.length]!;
  return {
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: LOINC, code }] },
    subject: { reference: `Patient/${LENA}` },
    effectiveDateTime: new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString(),
    valueQuantity: { value: 60 + (i % 40), unit: '/min' },
  };
}

function patient(i: number): Patient {
  return {
    resourceType: 'Patient',
    identifier: [{ system: MRN_SYSTEM, value: `BENCH-${i}` }],
    name: [{ family: `Bench${i}`, given: ['Pat'] }],
    birthDate: `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`,
    gender: i % 2 === 0 ? 'female' : 'male',
  };
}

export interface RecordsResults {
  cases: LoadSummary[];
  baseline: LoadSummary;
  notes: string[];
}

/** The record read and a typical search beside a bare point select, on PostgreSQL. */
export async function recordsResults(step: (what: string) => void): Promise<RecordsResults> {
  if (!process.env.DATABASE_URL) {
    throw new Error('The records bench runs on PostgreSQL: set DATABASE_URL.');
  }
  const patients = setting('BENCH_RECORDS_PATIENTS', 1_000);
  const observations = setting('BENCH_RECORDS_OBSERVATIONS', 200);
  const seconds = setting('BENCH_RECORDS_SECONDS', 10);
  const concurrency = setting('BENCH_RECORDS_CONCURRENCY', 8);
  const database = await createTestStore('postgres');
  try {
    const ctx = await contextOn(database.env);
    step(`records: seeding ${patients} patients and ${observations} observations`);
    await seedDemoClinic(ctx);
    for (let i = 0; i < patients; i++) await createPatient(ctx.store.db, ctx.fields, patient(i));
    for (let i = 0; i < observations; i++)
      await addClinicalResource(ctx.store.db, ctx.fields, LENA, observation(i));
    const app = await buildApp(ctx, { webRoot: null });
    await app.ready();
    const signIn = await app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: BECKER.email, password: DEMO_STAFF_PASSWORD },
    });
    if (signIn.statusCode !== 200) throw new Error(`sign-in failed: ${signIn.statusCode}`);
    const cookie = String(signIn.headers['set-cookie']).split(';', 1)[0]!;
    let n = 0;
    const get = (url: string) => async () => {
      // Spread over addresses: the per-address HTTP budget is a flood guard, not what is measured.
      const remoteAddress = `10.2.${Math.floor(n / 250) % 250}.${n++ % 250}`;
      const res = await app.inject({ url, headers: { cookie }, remoteAddress });
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode}`);
    };
    const pool = new pg.Pool({ connectionString: database.env.DATABASE_URL, max: 10 });
    const ids = (await pool.query<{ id: string }>('select id from patient')).rows.map((r) => r.id);
    const pointSelect = async () => {
      const id = ids[Math.floor(Math.random() * ids.length)]!;
      const res = await pool.query('select resource from patient where id = $1', [id]);
      if (res.rowCount !== 1) throw new Error('point select found no row');
    };
    const ledgerSize = async () =>
      (await ctx.store.db.select({ n: count() }).from(auditEntryTable))[0]?.n ?? 0;

    const paths: [string, () => Promise<void>][] = [
      ['GET /fhir/Patient/{id} (authorized, audited, decrypted)', get(`/fhir/Patient/${LENA}`)],
      [
        `GET /fhir/Observation?patient={id}&code=${SEARCHED}&_sort=-date&_count=20`,
        get(
          `/fhir/Observation?patient=${LENA}&code=${encodeURIComponent(`${LOINC}|${SEARCHED}`)}&_sort=-date&_count=20`,
        ),
      ],
      [
        `select resource from patient where id = $1 (${ids.length.toLocaleString('en')} rows)`,
        pointSelect,
      ],
    ];
    const summaries: LoadSummary[] = [];
    const notes: string[] = [];
    try {
      for (const [name, fn] of paths) {
        step(`records: ${name}`);
        await fixedLoad(name, fn, concurrency, 2);
        const entriesBefore = await ledgerSize();
        const load = await fixedLoad(name, fn, concurrency, seconds);
        const written = (await ledgerSize()) - entriesBefore;
        summaries.push(summarise(load));
        notes.push(
          `${name}: ${load.completed.toLocaleString('en')} requests in ${load.seconds.toFixed(1)} s at concurrency ${concurrency}, ${written.toLocaleString('en')} ledger entries written meanwhile`,
        );
      }
    } finally {
      await pool.end();
      await app.close();
      await closeContext(ctx);
    }
    const baseline = summaries.pop()!;
    return { cases: summaries, baseline, notes };
  } finally {
    await database.cleanup();
  }
}

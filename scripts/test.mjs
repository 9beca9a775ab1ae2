#!/usr/bin/env node
// The whole test suite in one command: types, lint, format, build, unit, integration (embedded
// store, and PostgreSQL when DATABASE_URL is set) and browser tests (when Chromium is present).
// Suites that cannot run here are skipped with the reason, unless REQUIRE_SUITES names them
// (CI sets REQUIRE_SUITES=postgres,e2e), in which case their absence fails the run.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, mkdirSync } from 'node:fs';
import pg from 'pg';

const required = new Set(
  (process.env.REQUIRE_SUITES ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const skipped = [];
const failures = [];

function run(title, command, args, env = process.env) {
  process.stdout.write(`\n== ${title}\n`);
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  if (result.status !== 0) failures.push(`${title} (exit ${result.status ?? result.signal})`);
  return result.status === 0;
}

async function postgresAvailable(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

function skipOrFail(suite, reason) {
  if (required.has(suite)) failures.push(`${suite} suite required but cannot run: ${reason}`);
  else skipped.push(`${suite}: ${reason}`);
}

const env = { ...process.env };
const projects = ['unit', 'integration'];

if (!env.DATABASE_URL) {
  skipOrFail(
    'postgres',
    'DATABASE_URL is not set, so integration tests ran on the embedded store only',
  );
} else {
  const problem = await postgresAvailable(env.DATABASE_URL);
  if (problem) {
    skipOrFail('postgres', `PostgreSQL at DATABASE_URL does not answer (${problem})`);
    delete env.DATABASE_URL;
  }
}

if (!env.NATS_URL) {
  skipOrFail(
    'nats',
    'NATS_URL is not set, so the NATS bus and two-node consult room tests did not run',
  );
} else if (!env.DATABASE_URL) {
  skipOrFail('nats', 'the two-node consult room test needs DATABASE_URL as well as NATS_URL');
}

if (existsSync(chromium)) projects.push('e2e');
else
  skipOrFail('e2e', `no Chromium at ${chromium} (install Debian's chromium, or set CHROMIUM_PATH)`);
// The consult test with a patient in Firefox runs beside the Chromium ones when Firefox is here.
const firefox = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
if (!existsSync(firefox))
  skipOrFail(
    'firefox',
    `no Firefox at ${firefox} (install Debian's firefox-esr, or set FIREFOX_PATH), so the patient-in-Firefox consult test did not run`,
  );

run('types', 'npm', ['run', 'typecheck', '--silent']);
run('lint', 'npx', ['eslint', '.', '--max-warnings=0']);
run('format', 'npx', ['prettier', '--check', '.', '--log-level=warn']);
if (projects.includes('e2e'))
  run('build web app', 'npm', ['run', 'build', '-w', 'web', '--silent']);

mkdirSync('.test-results', { recursive: true });
const report = '.test-results/vitest.json';
run(
  `tests (${projects.join(', ')}${env.DATABASE_URL ? ', on PGlite and PostgreSQL' : ', on PGlite'})`,
  'npx',
  [
    'vitest',
    'run',
    ...projects.flatMap((p) => ['--project', p]),
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
  ],
  env,
);

let counts = { passed: 0, failed: 0, skipped: 0 };
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  counts = {
    passed: r.numPassedTests,
    failed: r.numFailedTests,
    skipped: r.numPendingTests + r.numTodoTests,
  };
}

process.stdout.write('\n== summary\n');
for (const s of skipped) process.stdout.write(`skipped ${s}\n`);
for (const f of failures) process.stdout.write(`failed  ${f}\n`);
process.stdout.write(
  `tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`,
);
process.exit(failures.length > 0 || counts.failed > 0 ? 1 : 0);

import { fork } from 'node:child_process';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { isNotNull, count as rows } from 'drizzle-orm';
import { buildApp } from '../../server/src/app.js';
import { closeContext, type AppContext } from '../../server/src/context.js';
import { consultRoomParticipant } from '../../server/src/consults/schema.js';
import { seedDemoClinic } from '../../server/src/demo/index.js';
import { createLogger } from '../../server/src/platform/log/index.js';
import { consultFixture } from '../../server/src/test-support/consult-fixture.js';
import { contextOn } from './context.js';
import type { Goal } from './measure.js';
import type { BenchRoom, LoadPlan, LoadReport, LoadSummary } from './signaling-wire.js';

/**
 * Rooms open at once in each step, side by side in one run. BENCH_SIGNALING_ROOMS (`50,200`) and
 * BENCH_SIGNALING_SECONDS try the bench out at a smaller size; the results then say so.
 */
const STEPS = (process.env.BENCH_SIGNALING_ROOMS ?? '500,2000').split(',').map(Number);
const GOAL_ROOMS = 2_000;
const GOAL_P99_MS = 50;
const INTERVAL_MS = 1_000;
const WARMUP_MS = 5_000;
const STEADY_MS = Number(process.env.BENCH_SIGNALING_SECONDS ?? 30) * 1_000;
const OPEN_CONCURRENCY = 50;
/**
 * Consults booked per clinician and patient. Who holds a room does not change what relaying
 * costs; sharing people spares the fixtures an Argon2id hash and a sign-in per room.
 */
const ROOMS_PER_CLINICIAN = 10;
const BOOKING_CONCURRENCY = 4;
const ORIGIN = 'http://localhost:3000';
const LOAD_CLIENT = fileURLToPath(new URL('./signaling-load.ts', import.meta.url));

export interface SignalingStep {
  load: LoadSummary;
  /** The server process over the steady phase. */
  cpuPercent: number;
  rssMiB: number;
  eventLoopP99Ms: number;
}

export interface SignalingResults {
  steps: SignalingStep[];
  goal: Goal;
}

/** Books `total` consults, each with a signed-in clinician and a patient joined by link. */
async function bookRooms(
  app: Parameters<typeof consultFixture>[0],
  ctx: AppContext,
  total: number,
): Promise<BenchRoom[]> {
  const clinicians = Math.ceil(total / ROOMS_PER_CLINICIAN);
  const rooms: BenchRoom[] = [];
  // A few clinicians book at once: each fixture finds its own patient's link among the newest messages.
  for (let first = 0; first < clinicians; first += BOOKING_CONCURRENCY) {
    const batch = Array.from(
      { length: Math.min(BOOKING_CONCURRENCY, clinicians - first) },
      async () => {
        const f = await consultFixture(app, ctx);
        const booked: BenchRoom[] = [];
        for (let i = 0; i < ROOMS_PER_CLINICIAN; i++) {
          const { appointmentId, patientCookie } = await f.consult();
          booked.push({
            appointmentId,
            clinicianCookie: f.clinician.session.cookie,
            patientCookie,
          });
        }
        return booked;
      },
    );
    rooms.push(...(await Promise.all(batch)).flat());
  }
  return rooms.slice(0, total);
}

/** People still connected to a room, as the store has it: zero once every socket has left. */
async function connected(ctx: AppContext): Promise<number> {
  const [row] = await ctx.store.db
    .select({ n: rows() })
    .from(consultRoomParticipant)
    .where(isNotNull(consultRoomParticipant.connectionId));
  return row?.n ?? 0;
}

/** One step: the load client in a child process, this process's cost read while it measures. */
async function runStep(ctx: AppContext, plan: LoadPlan): Promise<SignalingStep> {
  const child = fork(LOAD_CLIENT, [], { execArgv: ['--import', 'tsx'] });
  const loop = monitorEventLoopDelay({ resolution: 10 });
  let cpuFrom = process.cpuUsage();
  let from = 0;
  let rss = 0;
  let sampler: NodeJS.Timeout | undefined;
  const server = { cpuPercent: 0, rssMiB: 0, eventLoopP99Ms: 0 };
  const load = await new Promise<LoadSummary>((resolve, reject) => {
    child.on('message', (message: LoadReport) => {
      switch (message.type) {
        case 'opened':
          return;
        case 'steady': {
          if (message.phase === 'start') {
            cpuFrom = process.cpuUsage();
            from = performance.now();
            loop.enable();
            sampler = setInterval(() => (rss = Math.max(rss, process.memoryUsage.rss())), 1_000);
            return;
          }
          clearInterval(sampler);
          loop.disable();
          const used = process.cpuUsage(cpuFrom);
          server.cpuPercent = ((used.user + used.system) / 1e3 / (performance.now() - from)) * 100;
          server.rssMiB = Math.max(rss, process.memoryUsage.rss()) / 2 ** 20;
          server.eventLoopP99Ms = loop.percentile(99) / 1e6;
          return;
        }
        case 'summary':
          return resolve(message.summary);
        case 'failed':
          return reject(new Error(`the load client failed: ${message.message}`));
      }
    });
    child.on('exit', (code) => reject(new Error(`the load client exited (${String(code)})`)));
    child.send(plan);
  });
  await new Promise((resolve) => child.once('exit', resolve));
  // The next step starts with every socket of this one gone from the rooms.
  while ((await connected(ctx)) > 0) await new Promise((resolve) => setTimeout(resolve, 250));
  return { load, ...server };
}

/** The steps side by side on one server node (embedded PGlite in `dataDir`, a real port). */
export async function signalingResults(
  dataDir: string,
  step: (what: string) => void,
): Promise<SignalingResults> {
  const ctx = await contextOn(
    {
      DATA_DIR: path.join(dataDir, 'signaling'),
      PUBLIC_URL: ORIGIN,
      // Every socket and fixture request comes from this one address.
      RATE_LIMIT_PER_MINUTE: '1000000',
      LOG_LEVEL: 'warn',
    },
    createLogger('warn', process.stderr),
  );
  const app = await buildApp(ctx, { webRoot: null });
  try {
    await seedDemoClinic(ctx);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new Error('not listening');
    const largest = Math.max(...STEPS);
    step(`signaling: booking ${largest} consults`);
    const booking = performance.now();
    const rooms = await bookRooms(app, ctx, largest);
    step(`signaling: booked in ${((performance.now() - booking) / 1000).toFixed(0)} s`);
    const steps: SignalingStep[] = [];
    for (const size of STEPS) {
      step(`signaling: ${size} rooms`);
      steps.push(
        await runStep(ctx, {
          type: 'plan',
          base: `ws://127.0.0.1:${address.port}`,
          origin: ORIGIN,
          rooms: rooms.slice(0, size),
          openConcurrency: OPEN_CONCURRENCY,
          intervalMs: INTERVAL_MS,
          warmupMs: WARMUP_MS,
          steadyMs: STEADY_MS,
        }),
      );
    }
    const atGoal = steps.find((s) => s.load.rooms >= GOAL_ROOMS);
    return {
      steps,
      goal: {
        what: `relay latency, p99, ${GOAL_ROOMS.toLocaleString('en')} rooms on one node`,
        target: `< ${GOAL_P99_MS} ms`,
        measured: atGoal
          ? `${atGoal.load.latencyMs.p99.toFixed(1)} ms`
          : `${steps.at(-1)?.load.rooms ?? 0} rooms opened`,
        met: !!atGoal && atGoal.load.latencyMs.p99 < GOAL_P99_MS,
      },
    };
  } finally {
    await app.close();
    await closeContext(ctx);
  }
}

/** How the figures are taken, for the results file. */
export const SIGNALING_METHOD = `One server node (the product's app on a real port, embedded PGlite, in-process bus) with the demo clinic and ${Math.max(...STEPS).toLocaleString('en')} booked consults (${ROOMS_PER_CLINICIAN} per clinician and patient). A load client in a child process opens each room as the web app does, ${OPEN_CONCURRENCY} rooms at a time: the clinician's socket, the patient's, the clinician admits the patient. Then each socket sends one message every ${INTERVAL_MS / 1000} s to the other (every fifth an offer or answer of about 2.5 KB, the rest trickled ICE candidates), starting at random points of the second. The send time travels in an SDP attribute or candidate extension that the server relays unchanged; the receiving end reads the same monotonic clock. After ${WARMUP_MS / 1000} s of warm-up, ${STEADY_MS / 1000} s are measured; messages sent then and not received 2 s after the end count as lost. Server CPU (in % of one core), its largest RSS and its event loop delay are read in the server process over the same ${STEADY_MS / 1000} s. Both processes share the machine's cores.`;

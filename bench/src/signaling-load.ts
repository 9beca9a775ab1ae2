// The signaling bench's load client, run as a child process of the server under test so that its
// own event loop does not add to the server's. It opens every room as the web app would (the
// clinician enters, the patient waits and is admitted), then each socket sends one offer, answer
// or ICE candidate per interval to the other; the receiving end reads the send time back from the
// relayed payload. Told what to do, and reporting, over the IPC channel.
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { percentile } from './measure.js';
import {
  iceCandidate,
  sentAt,
  sessionDescription,
  type BenchRoom,
  type LoadPlan,
  type LoadReport,
} from './signaling-wire.js';

/** One in this many messages a socket sends is an offer or answer (renegotiation); the rest trickle ICE. */
const SDP_EVERY = 5;
const SETUP_TIMEOUT_MS = 60_000;

interface ServerMessage {
  type: string;
  participantId?: string;
  code?: string;
  you?: { state: string };
  participants?: { id: string; state: string }[];
}

/** What the run counts; the latencies only for messages sent while the clock runs. */
const tally = {
  measuring: false,
  sent: 0,
  latencies: [] as number[],
  errors: {} as Record<string, number>,
  closes: {} as Record<string, number>,
};
const count = (into: Record<string, number>, key: string) => (into[key] = (into[key] ?? 0) + 1);

/** A socket into a room: waits for set-up messages by predicate, then times the relayed ones. */
class LoadSocket {
  private readonly early: ServerMessage[] = [];
  private waiter: (() => void) | undefined;
  private closing = false;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const now = performance.now();
      const text = data.toString('utf8');
      const at = sentAt(text);
      if (at !== undefined) {
        if (tally.measuring && at >= measuredFrom) tally.latencies.push(now - at);
        return;
      }
      const message = JSON.parse(text) as ServerMessage;
      if (message.type === 'error') count(tally.errors, message.code ?? 'unknown');
      this.early.push(message);
      this.waiter?.();
    });
    ws.on('close', (code) => {
      if (!this.closing) count(tally.closes, String(code));
    });
  }

  static open(url: string, origin: string, cookie: string): Promise<LoadSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers: { origin, cookie } });
      const socket = new LoadSocket(ws);
      ws.once('open', () => resolve(socket));
      ws.once('unexpected-response', (_request, response) => {
        ws.terminate();
        reject(new Error(`upgrade refused: ${response.statusCode ?? 0}`));
      });
      ws.once('error', reject);
    });
  }

  /** The first set-up message that matches, waiting for it if need be. */
  async next(matches: (m: ServerMessage) => boolean): Promise<ServerMessage> {
    const until = Date.now() + SETUP_TIMEOUT_MS;
    for (;;) {
      const found = this.early.find(matches);
      if (found) return found;
      if (Date.now() > until) throw new Error('timed out in the room set-up');
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        setTimeout(resolve, 200);
      });
    }
  }

  /** Done with set-up: what came before is not kept. */
  settle() {
    this.early.length = 0;
  }

  close(): Promise<void> {
    this.closing = true;
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

interface OpenRoom {
  clinician: LoadSocket;
  patient: LoadSocket;
  clinicianId: string;
  patientId: string;
}

let measuredFrom = Infinity;

/** The clinician enters, the patient arrives and is admitted; done when both see the admission. */
async function openRoom(plan: LoadPlan, room: BenchRoom): Promise<OpenRoom> {
  const url = `${plan.base}/api/consults/${room.appointmentId}/signal`;
  const clinician = await LoadSocket.open(url, plan.origin, room.clinicianCookie);
  const clinicianId = (await clinician.next((m) => m.type === 'welcome')).participantId!;
  const patient = await LoadSocket.open(url, plan.origin, room.patientCookie);
  const patientId = (await patient.next((m) => m.type === 'welcome')).participantId!;
  const listed = (state: string) => (m: ServerMessage) =>
    m.type === 'state' && !!m.participants?.some((p) => p.id === patientId && p.state === state);
  const first = await patient.next((m) => m.type === 'state');
  // A patient admitted once (an earlier step of the run) is admitted again on arrival.
  if (first.you?.state !== 'admitted') {
    await clinician.next(listed('waiting'));
    clinician.ws.send(JSON.stringify({ type: 'admit', participantId: patientId }));
  }
  await patient.next((m) => m.type === 'state' && m.you?.state === 'admitted');
  await clinician.next(listed('admitted'));
  clinician.settle();
  patient.settle();
  return { clinician, patient, clinicianId, patientId };
}

/** Sends one message per interval from `from` to `to`, starting at a random point of the interval. */
function startSending(plan: LoadPlan, from: LoadSocket, to: string, kind: 'offer' | 'answer') {
  let n = 0;
  const send = () => {
    const at = performance.now();
    const message =
      n % SDP_EVERY === 0
        ? { type: kind, to, sdp: sessionDescription(kind, n, at) }
        : { type: 'ice-candidate', to, candidate: iceCandidate(n, at) };
    n += 1;
    if (from.ws.readyState !== WebSocket.OPEN) return;
    from.ws.send(JSON.stringify(message));
    if (tally.measuring) tally.sent += 1;
  };
  let timer: NodeJS.Timeout | undefined;
  const start = setTimeout(() => {
    send();
    timer = setInterval(send, plan.intervalMs);
  }, Math.random() * plan.intervalMs);
  return () => {
    clearTimeout(start);
    clearInterval(timer);
  };
}

const report = (message: LoadReport) => process.send?.(message);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function run(plan: LoadPlan): Promise<void> {
  const opening = performance.now();
  const open: OpenRoom[] = [];
  let roomsFailed = 0;
  for (let i = 0; i < plan.rooms.length; i += plan.openConcurrency) {
    const batch = plan.rooms.slice(i, i + plan.openConcurrency);
    for (const result of await Promise.allSettled(batch.map((room) => openRoom(plan, room)))) {
      if (result.status === 'fulfilled') open.push(result.value);
      else {
        roomsFailed += 1;
        count(tally.errors, `set-up: ${(result.reason as Error).message}`);
      }
    }
  }
  const openSeconds = (performance.now() - opening) / 1000;
  report({ type: 'opened' });

  const stops = open.flatMap((room) => [
    startSending(plan, room.clinician, room.patientId, 'offer'),
    startSending(plan, room.patient, room.clinicianId, 'answer'),
  ]);
  await sleep(plan.warmupMs);
  tally.measuring = true;
  measuredFrom = performance.now();
  const cpuFrom = process.cpuUsage();
  report({ type: 'steady', phase: 'start' });
  await sleep(plan.steadyMs);
  for (const stop of stops) stop();
  const cpu = process.cpuUsage(cpuFrom);
  const steadySeconds = (performance.now() - measuredFrom) / 1000;
  report({ type: 'steady', phase: 'end' });
  // What is still on its way arrives; later arrivals would count as lost.
  await sleep(2_000);
  tally.measuring = false;
  const latencies = tally.latencies;
  report({
    type: 'summary',
    summary: {
      rooms: open.length,
      sockets: open.length * 2,
      roomsFailed,
      openSeconds,
      steadySeconds,
      sent: tally.sent,
      relayed: latencies.length,
      latencyMs: {
        p50: percentile(latencies, 0.5),
        p95: percentile(latencies, 0.95),
        p99: percentile(latencies, 0.99),
        max: percentile(latencies, 1),
      },
      errors: tally.errors,
      closes: tally.closes,
      clientCpuPercent: ((cpu.user + cpu.system) / 1e6 / steadySeconds) * 100,
    },
  });
  await Promise.all(open.flatMap((room) => [room.clinician.close(), room.patient.close()]));
}

process.once('message', (plan: LoadPlan) => {
  run(plan)
    .catch((error: unknown) => report({ type: 'failed', message: String(error) }))
    .finally(() => process.disconnect());
});

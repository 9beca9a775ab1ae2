import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SERVER = path.join(ROOT, 'server/dist/main.js');
const WEB_INDEX = path.join(ROOT, 'web/dist/index.html');

/** A port free on loopback now, for a server whose public address must name it before it listens. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export interface DemoServer {
  baseUrl: string;
  /** The server's data folder: its embedded store, which only one process may open at a time. */
  dataDir: string;
  /** Stops the server and removes its data folder, unless it is kept to start again on. */
  stop: (options?: { keepData?: boolean }) => Promise<void>;
}

/**
 * Starts the built server, as `npm start` would, with the demo clinic and a free port: on a fresh
 * embedded store, or on the folder a stopped one kept (`keptDataDir`); `env` adds or overrides
 * variables.
 */
export async function startDemoServer({
  keptDataDir,
  env = {},
}: { keptDataDir?: string; env?: Record<string, string> } = {}): Promise<DemoServer> {
  for (const [file, hint] of [
    [SERVER, 'npx tsc -b server'],
    [WEB_INDEX, 'npm run build -w web'],
  ] as const) {
    if (!existsSync(file))
      throw new Error(`${file} is missing: run \`${hint}\` first (npm test does).`);
  }
  const dataDir = keptDataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'safeconsult-e2e-')));
  // Browsers bind passkeys to a host name, never an IP address: the pages are opened on
  // localhost, at a port chosen here so that the public address can name it.
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const child = spawn(process.execPath, [SERVER, '--demo'], {
    env: {
      PATH: process.env.PATH,
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: baseUrl,
      LOG_LEVEL: 'info',
      // Every browser in the suite comes from this one address; the per-address limit is meant for
      // a client hammering the API, not for a test suite sharing one server.
      RATE_LIMIT_PER_MINUTE: '100000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      if (buffered.includes('"SafeConsult is ready"')) resolve();
    });
    child.on('exit', (code) =>
      reject(new Error(`the server exited (${String(code)}) before it was ready`)),
    );
  });
  return {
    baseUrl,
    dataDir,
    stop: async ({ keepData = false } = {}) => {
      // Stopping twice (a test that restarts it failed half-way) still removes the folder.
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.on('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      if (!keepData) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

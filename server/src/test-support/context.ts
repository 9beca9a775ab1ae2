import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp, type BuildOptions } from '../app.js';
import { closeContext, createContext, type AppContext } from '../context.js';
import { loadConfig } from '../platform/config/index.js';
import { createLogger } from '../platform/log/index.js';
import { createTestStore, type StoreTarget, type TestStoreEnv } from './stores.js';

/** Collects every log line a test context writes, so tests can assert what reached the log. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void) {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

export interface TestContext {
  ctx: AppContext;
  store: TestStoreEnv;
  logs: LogCapture;
  close(): Promise<void>;
}

/** A real context (store, migrations, keys) on a fresh store, with a captured debug-level log. */
export async function createTestContext(
  target: StoreTarget,
  env: Record<string, string> = {},
  store?: TestStoreEnv,
): Promise<TestContext> {
  const testStore = store ?? (await createTestStore(target));
  const config = loadConfig({
    MASTER_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'debug',
    ...testStore.env,
    ...env,
  });
  const logs = new LogCapture();
  const ctx = await createContext(config, createLogger(config.logLevel, logs));
  return {
    ctx,
    store: testStore,
    logs,
    close: async () => {
      await closeContext(ctx);
      if (!store) await testStore.cleanup();
    },
  };
}

export interface TestApp extends TestContext {
  app: FastifyInstance;
}

/** A built (not listening) server on a fresh store; `close()` tears everything down. */
export async function createTestApp(
  target: StoreTarget,
  env: Record<string, string> = {},
  options: BuildOptions = { webRoot: null },
): Promise<TestApp> {
  const tc = await createTestContext(target, env);
  const app = await buildApp(tc.ctx, options);
  await app.ready();
  return {
    ...tc,
    app,
    close: async () => {
      await app.close();
      await tc.close();
    },
  };
}

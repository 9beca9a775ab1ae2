import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';

/** Debian's Firefox ESR, or FIREFOX_PATH. */
export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const firefoxPresent = () => existsSync(FIREFOX);

/** A fake camera and microphone, granted without asking, and no first-run noise. */
const PREFS = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  'browser.shell.checkDefaultBrowser': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.reportingpolicy.firstRun': false,
  'app.update.enabled': false,
  'browser.startup.homepage_override.mstone': 'ignore',
};

const STARTUP_TIMEOUT_MS = 30_000;
const COMMAND_TIMEOUT_MS = 30_000;

/** One Firefox tab, driven through the page's own DOM. */
export interface FirefoxTab {
  goto(url: string): Promise<void>;
  /** The value of a JavaScript expression in the page (awaited when it is a promise); JSON only. */
  evaluate<T>(expression: string): Promise<T>;
  /** Waits until the expression is truthy in the page. */
  waitFor(expression: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Firefox, headless, driven over WebDriver BiDi. Playwright drives Firefox only in its own build
 * (which cannot be installed here) or through a BiDi channel that needs commands this Firefox ESR
 * lacks; the few commands a tab needs are spoken here directly.
 */
export async function launchFirefox(): Promise<FirefoxTab> {
  const profile = await mkdtemp(path.join(tmpdir(), 'safeconsult-firefox-'));
  await writeFile(
    path.join(profile, 'user.js'),
    Object.entries(PREFS)
      .map(([name, value]) => `user_pref(${JSON.stringify(name)}, ${JSON.stringify(value)});`)
      .join('\n'),
  );
  const firefox = spawn(
    FIREFOX,
    ['--headless', '--no-remote', '--profile', profile, '--remote-debugging-port=0'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  try {
    const socket = await connect(await listeningAt(firefox));
    const bidi = new BidiSession(socket);
    await bidi.send('session.new', { capabilities: {} });
    const tree = await bidi.send<{ contexts: { context: string }[] }>(
      'browsingContext.getTree',
      {},
    );
    const context = tree.contexts[0]!.context;
    const evaluate = async <T>(expression: string): Promise<T> => {
      const answer = await bidi.send<{
        type: 'success' | 'exception';
        result?: { value?: string };
        exceptionDetails?: { text: string };
      }>('script.evaluate', {
        target: { context },
        awaitPromise: true,
        expression: `(async () => JSON.stringify(await (${expression})))()`,
      });
      if (answer.type === 'exception') throw new Error(answer.exceptionDetails?.text);
      const text = answer.result?.value;
      return (text === undefined ? undefined : JSON.parse(text)) as T;
    };
    return {
      async goto(url) {
        await bidi.send('browsingContext.navigate', { context, url, wait: 'complete' });
      },
      evaluate,
      async waitFor(expression, timeoutMs = 30_000) {
        const until = Date.now() + timeoutMs;
        while (!(await evaluate<boolean>(`!!(${expression})`))) {
          if (Date.now() > until) throw new Error(`Firefox: still not true: ${expression}`);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      },
      async close() {
        await bidi.send('session.end', {}).catch(() => {});
        socket.close();
        await stop(firefox);
        await rm(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stop(firefox);
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
}

/** The BiDi address Firefox announces on stderr once it listens. */
function listeningAt(firefox: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`Firefox did not start: ${seen.slice(-500)}`)),
      STARTUP_TIMEOUT_MS,
    );
    firefox.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const address = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(seen)?.[1];
      if (!address) return;
      clearTimeout(timer);
      resolve(`${address}/session`);
    });
    firefox.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Firefox exited (${String(code)}): ${seen.slice(-500)}`));
    });
  });
}

function connect(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

function stop(firefox: ChildProcess): Promise<void> {
  if (firefox.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    firefox.once('exit', () => resolve());
    firefox.kill();
  });
}

/** Commands and their answers, matched by id. */
class BidiSession {
  private next = 0;
  private readonly waiting = new Map<
    number,
    { resolve: (result: unknown) => void; reject: (error: Error) => void }
  >();

  constructor(private readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as {
        id?: number;
        type: string;
        result?: unknown;
        error?: string;
        message?: string;
      };
      const waiter = message.id === undefined ? undefined : this.waiting.get(message.id);
      if (!waiter) return;
      this.waiting.delete(message.id!);
      if (message.type === 'error')
        waiter.reject(new Error(`${message.error}: ${message.message}`));
      else waiter.resolve(message.result);
    });
  }

  send<T = unknown>(method: string, params: object): Promise<T> {
    const id = (this.next += 1);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`Firefox: no answer to ${method}`));
      }, COMMAND_TIMEOUT_MS);
      this.waiting.set(id, {
        resolve: (result) => {
          clearTimeout(timer);
          resolve(result as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }
}

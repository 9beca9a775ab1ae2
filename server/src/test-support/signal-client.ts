import WebSocket from 'ws';
import type { SignalServerMessage } from '@safeconsult/protocol';

type Of<T extends SignalServerMessage['type']> = Extract<SignalServerMessage, { type: T }>;

/** A test's WebSocket into a consult room: keeps what arrives, and hands it out by type. */
export class SignalClient {
  private readonly pending: SignalServerMessage[] = [];
  private wake = () => {};
  readonly closed: Promise<number>;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      this.pending.push(JSON.parse(data.toString('utf8')) as SignalServerMessage);
      this.wake();
    });
    this.closed = new Promise((resolve) => ws.on('close', (code) => resolve(code)));
  }

  /** Connects, or answers with the HTTP status that refused the upgrade. */
  static connect(
    url: string,
    headers: Record<string, string>,
  ): Promise<{ client: SignalClient } | { status: number }> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      const client = new SignalClient(ws);
      ws.once('open', () => resolve({ client }));
      ws.once('unexpected-response', (_req, res) => {
        resolve({ status: res.statusCode ?? 0 });
        ws.terminate();
      });
      ws.once('error', (error) => reject(error));
    });
  }

  send(message: object | string): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The first message of this type (that matches) not yet taken, waiting for it if need be. */
  async take<T extends SignalServerMessage['type']>(
    type: T,
    matches: (m: Of<T>) => boolean = () => true,
    ms = 5_000,
  ): Promise<Of<T>> {
    const until = Date.now() + ms;
    for (;;) {
      const i = this.pending.findIndex((m) => m.type === type && matches(m as Of<T>));
      if (i >= 0) return this.pending.splice(i, 1)[0] as Of<T>;
      const left = until - Date.now();
      if (left <= 0) {
        throw new Error(
          `no ${type} message; got ${JSON.stringify(this.pending.map((m) => m.type))}`,
        );
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, Math.min(left, 50));
      });
    }
  }

  /** Whether a message of this type has arrived (without waiting). */
  has(type: SignalServerMessage['type']): boolean {
    return this.pending.some((m) => m.type === type);
  }

  close(): void {
    this.ws.close();
  }
}

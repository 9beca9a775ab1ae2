import { setTimeout as sleep } from 'node:timers/promises';
import { SMTPServer, type SMTPServerError } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The message as it arrived: headers and (transfer-encoded) body. */
  raw: string;
}

export const SMTP_USER = 'clinic-relay';
export const SMTP_PASSWORD = 'relay-secret-7f3a';

/**
 * A real SMTP server in the test process (the `smtp-server` package), requiring the credentials
 * above. It can refuse recipients, be stopped and started again on the same port, and hold a
 * message's data for a while, so tests can watch a sender retry and shut down.
 */
export class TestSmtpServer {
  readonly received: ReceivedMail[] = [];
  /** Every RCPT TO it was sent, accepted or not. */
  readonly recipientsTried: string[] = [];
  /** Called when a message's data starts to arrive. */
  onDataStart: () => void = () => {};
  private refusals = 0;
  private dataDelayMs = 0;
  private server: SMTPServer | undefined;
  private port = 0;

  /** The SMTP_URL that reaches this server with its credentials. */
  get url(): string {
    return `smtp://${SMTP_USER}:${SMTP_PASSWORD}@127.0.0.1:${this.port}`;
  }

  /** Answers the next `count` RCPT TO commands with a temporary failure. */
  refuseRecipients(count: number): void {
    this.refusals = count;
  }

  /** Holds each message's data this long before accepting it. */
  delayData(ms: number): void {
    this.dataDelayMs = ms;
  }

  async start(): Promise<void> {
    const server = new SMTPServer({
      // Plain text on loopback: the test is about delivery, not TLS.
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      authOptional: false,
      logger: false,
      onAuth: (auth, _session, callback) => {
        if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) {
          callback(null, { user: auth.username });
        } else {
          callback(new Error('invalid credentials'));
        }
      },
      onRcptTo: (address, _session, callback) => {
        this.recipientsTried.push(address.address);
        if (this.refusals > 0) {
          this.refusals -= 1;
          const error: SMTPServerError = new Error(`mailbox ${address.address} busy, try later`);
          error.responseCode = 451;
          callback(error);
          return;
        }
        callback();
      },
      onData: (stream, session, callback) => {
        this.onDataStart();
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          void sleep(this.dataDelayMs).then(() => {
            this.received.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              raw: Buffer.concat(chunks).toString('utf8'),
            });
            callback();
          });
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.server.address();
    if (typeof address === 'object' && address) this.port = address.port;
    this.server = server;
  }

  /** Closes the port: senders now find nobody there. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The mail that has arrived for `recipient`, waiting up to `timeoutMs` for it. */
  async mailTo(recipient: string, timeoutMs = 10_000): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const mail = this.received.find((m) => m.to.includes(recipient));
      if (mail) return mail;
      if (Date.now() > deadline) throw new Error(`no mail for ${recipient} within ${timeoutMs} ms`);
      await sleep(20);
    }
  }
}

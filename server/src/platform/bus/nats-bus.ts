import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '../log/index.js';
import type { Bus, BusHandler, BusSubscription } from './bus.js';

/** The bus across nodes: NATS core subjects, JSON payloads, at-most-once like the in-process bus. */
export class NatsBus implements Bus {
  readonly kind = 'nats';

  private constructor(
    private readonly nc: NatsConnection,
    private readonly log: Logger,
  ) {}

  static async connect(url: string, log: Logger): Promise<NatsBus> {
    const nc = await connect({
      servers: url,
      name: 'safeconsult',
      // Keep trying through a NATS restart; subscriptions are restored on reconnect.
      maxReconnectAttempts: -1,
    });
    log.info({ server: nc.getServer() }, 'connected to the NATS bus');
    return new NatsBus(nc, log);
  }

  publish(subject: string, message: unknown): Promise<void> {
    this.nc.publish(subject, JSON.stringify(message));
    return Promise.resolve();
  }

  async subscribe(subject: string, handler: BusHandler): Promise<BusSubscription> {
    const sub = this.nc.subscribe(subject, {
      callback: (error, msg) => {
        if (error) {
          this.log.error({ err: error, subject }, 'a bus subscription failed');
          return;
        }
        try {
          handler(msg.json());
        } catch (failure) {
          this.log.error({ err: failure, subject }, 'a bus subscriber failed');
        }
      },
    });
    // The server has the subscription once a round trip after it has completed.
    await this.nc.flush();
    return {
      unsubscribe: () => {
        sub.unsubscribe();
        return Promise.resolve();
      },
    };
  }

  async close(): Promise<void> {
    if (this.nc.isClosed()) return;
    await this.nc.drain();
  }
}

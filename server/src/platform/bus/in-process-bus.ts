import type { Logger } from '../log/index.js';
import type { Bus, BusHandler, BusSubscription } from './bus.js';

/**
 * The bus of a single node: subscribers on this process only. Delivery is deferred to a
 * microtask, as over a network, so a publisher never runs its subscribers inside its own call.
 */
export class InProcessBus implements Bus {
  readonly kind = 'in-process';
  private readonly subjects = new Map<string, Set<BusHandler>>();

  constructor(private readonly log: Logger) {}

  publish(subject: string, message: unknown): Promise<void> {
    const handlers = this.subjects.get(subject);
    if (!handlers || handlers.size === 0) return Promise.resolve();
    // A copy, as a network would make: a subscriber cannot change what the publisher holds.
    const text = JSON.stringify(message);
    for (const handler of [...handlers]) {
      queueMicrotask(() => {
        try {
          handler(JSON.parse(text));
        } catch (error) {
          this.log.error({ err: error, subject }, 'a bus subscriber failed');
        }
      });
    }
    return Promise.resolve();
  }

  subscribe(subject: string, handler: BusHandler): Promise<BusSubscription> {
    const handlers = this.subjects.get(subject) ?? new Set<BusHandler>();
    this.subjects.set(subject, handlers);
    // Each subscription is its own entry, even for the same function.
    const entry: BusHandler = (message) => handler(message);
    handlers.add(entry);
    return Promise.resolve({
      unsubscribe: () => {
        handlers.delete(entry);
        if (handlers.size === 0) this.subjects.delete(subject);
        return Promise.resolve();
      },
    });
  }

  close(): Promise<void> {
    this.subjects.clear();
    return Promise.resolve();
  }
}

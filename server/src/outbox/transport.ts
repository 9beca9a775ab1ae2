import type { OutgoingMessage } from './service.js';

/** Hands a message to whatever carries it onward (a mail relay, an SMS gateway). */
export interface MessageTransport {
  /** Resolves once the next hop has accepted the message; rejects when it has not. */
  send(message: OutgoingMessage): Promise<void>;
  close(): void;
}

/**
 * A failed hand-over, described in words that are safe to store and log: relays echo recipients
 * and content in their replies, so a transport never passes those on.
 */
export class DeliveryFailure extends Error {
  constructor(summary: string) {
    super(summary);
    this.name = 'DeliveryFailure';
  }
}

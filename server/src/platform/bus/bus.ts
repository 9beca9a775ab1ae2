import type { Logger } from '../log/index.js';
import { InProcessBus } from './in-process-bus.js';
import { NatsBus } from './nats-bus.js';

/** Receives one message published on a subject this node subscribed to. */
export type BusHandler = (message: unknown) => void;

export interface BusSubscription {
  unsubscribe(): Promise<void>;
}

/**
 * Publish and subscribe on subjects (`consult.room.<id>`), carrying JSON values. Every subscriber
 * to a subject gets every message published on it, the publishing node's own subscribers
 * included, in the order published by one node. Nothing is kept: a node that was not subscribed
 * when a message went out never sees it, so what must last lives in the store.
 */
export interface Bus {
  readonly kind: 'in-process' | 'nats';
  publish(subject: string, message: unknown): Promise<void>;
  /** Resolves once the subscription is in place, so a message published after it arrives. */
  subscribe(subject: string, handler: BusHandler): Promise<BusSubscription>;
  close(): Promise<void>;
}

export type BusConfig = { kind: 'in-process' } | { kind: 'nats'; url: string };

/** The in-process bus by default; NATS when the configuration names a server. */
export async function openBus(config: BusConfig, log: Logger): Promise<Bus> {
  if (config.kind === 'in-process') return new InProcessBus(log);
  return NatsBus.connect(config.url, log);
}

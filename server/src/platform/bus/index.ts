export { InProcessBus } from './in-process-bus.js';
export { NatsBus } from './nats-bus.js';
export { openBus, type Bus, type BusConfig, type BusHandler, type BusSubscription } from './bus.js';

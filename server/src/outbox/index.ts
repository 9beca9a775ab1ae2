export { outboxRoutes } from './routes.js';
export {
  enqueueMessage,
  listMessages,
  type MessageAttachment,
  type OutboxDeps,
  type OutgoingMessage,
  type StoredMessage,
} from './service.js';
export { DeliverySignal } from './delivery-signal.js';
export { retryDelayMs } from './delivery-policy.js';
export { startOutboxDelivery } from './delivery.js';
export { outboxEncryptedColumns } from './encrypted-columns.js';

export { outboxRoutes } from './routes.js';
export {
  enqueueMessage,
  listMessages,
  type OutgoingMessage,
  type StoredMessage,
} from './service.js';

export { runKeysCommand } from './keys-command.js';
export {
  KEY_ACTIVATION_DELAY_MS,
  KEY_REFRESH_MS,
  startKeyMaintenance,
  type KeyMaintenance,
} from './key-maintenance.js';

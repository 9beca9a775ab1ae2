import { encryptedTable } from '../platform/crypto/index.js';
import { secretContext } from './mfa/mfa-service.js';

/** Identity's encrypted columns, for key rotation: the shared secrets of authenticator apps. */
export const identityEncryptedColumns = [
  encryptedTable({
    table: 'totp_factor',
    key: ['user_id'],
    columns: [{ name: 'secret', context: ({ user_id }) => secretContext(user_id) }],
  }),
];

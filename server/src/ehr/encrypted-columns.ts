import { encryptedTable } from '../platform/crypto/index.js';
import { secretContext } from './connection.js';

/** The connector's secrets: the private key it signs token requests with, or the bearer token. */
export const ehrEncryptedColumns = [
  encryptedTable({
    table: 'ehr_connection',
    key: ['id'],
    columns: [
      { name: 'private_key', context: () => secretContext('private_key') },
      { name: 'bearer_token', context: () => secretContext('bearer_token') },
    ],
  }),
];

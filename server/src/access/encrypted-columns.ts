import { encryptedTable } from '../platform/crypto/index.js';
import { reasonContext } from './emergency.js';

/** The access module's encrypted columns, for key rotation: the reasons given for emergency access. */
export const accessEncryptedColumns = [
  encryptedTable({
    table: 'emergency_access',
    key: ['id'],
    columns: [{ name: 'reason', context: ({ id }) => reasonContext(id) }],
  }),
];

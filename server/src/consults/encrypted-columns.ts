import { encryptedTable } from '../platform/crypto/index.js';
import { reasonContext } from './appointments.js';
import { contentContext, fileNameContext, textContext } from './chat/chat-store.js';
import { emailContext, nameContext } from './invitations.js';

/** The consults' encrypted columns, for key rotation. */
export const consultEncryptedColumns = [
  encryptedTable({
    table: 'appointment',
    key: ['id'],
    columns: [{ name: 'reason', context: ({ id }) => reasonContext(id) }],
  }),
  encryptedTable({
    table: 'consult_invitation',
    key: ['id'],
    columns: [
      { name: 'companion_name', context: ({ id }) => nameContext(id) },
      { name: 'companion_email', context: ({ id }) => emailContext(id) },
    ],
  }),
  encryptedTable({
    table: 'consult_chat_item',
    key: ['id'],
    columns: [{ name: 'text', context: ({ id }) => textContext(id) }],
  }),
  encryptedTable({
    table: 'consult_file',
    key: ['id'],
    columns: [
      { name: 'name', context: ({ id }) => fileNameContext(id) },
      { name: 'content', context: ({ id }) => contentContext(id) },
    ],
  }),
];

import { encryptedTable } from '../platform/crypto/index.js';
import { messageContext } from './service.js';

/** The outbox's encrypted columns, for key rotation: every message's address and content. */
export const outboxEncryptedColumns = [
  encryptedTable({
    table: 'outbox_message',
    key: ['id'],
    columns: [
      { name: 'recipient', context: ({ id }) => messageContext(id, 'recipient') },
      { name: 'subject', context: ({ id }) => messageContext(id, 'subject') },
      { name: 'body', context: ({ id }) => messageContext(id, 'body') },
      { name: 'attachments', context: ({ id }) => messageContext(id, 'attachments') },
    ],
  }),
];

import { encryptedTable } from '../platform/crypto/index.js';
import { sealed } from './review/incident-store.js';

/** The audit module's encrypted columns, for key rotation: incidents' titles, scopes and notes. */
export const auditEncryptedColumns = [
  encryptedTable({
    table: 'audit_incident',
    key: ['id'],
    columns: [
      { name: 'title', context: ({ id }) => sealed.title(Number(id)) },
      { name: 'scope', context: ({ id }) => sealed.scope(Number(id)) },
    ],
  }),
  encryptedTable({
    table: 'audit_incident_action',
    key: ['id'],
    columns: [{ name: 'note', context: ({ id }) => sealed.note(Number(id)) }],
  }),
];

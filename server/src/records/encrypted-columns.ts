import { encryptedTable } from '../platform/crypto/index.js';
import {
  clinicalResourceContext,
  patientContext,
  resourceVersionContext,
} from './record-contexts.js';

/** The records' encrypted columns, for key rotation. */
export const recordEncryptedColumns = [
  encryptedTable({
    table: 'patient',
    key: ['id'],
    columns: [{ name: 'resource', context: ({ id }) => patientContext(id) }],
  }),
  encryptedTable({
    table: 'clinical_resource',
    key: ['id'],
    columns: [{ name: 'resource', context: ({ id }) => clinicalResourceContext(id) }],
  }),
  encryptedTable({
    table: 'fhir_resource_version',
    key: ['id', 'version_id'],
    columns: [
      {
        name: 'resource',
        context: ({ id, version_id }) => resourceVersionContext(id, Number(version_id)),
      },
    ],
  }),
];

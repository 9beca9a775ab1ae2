import { encryptedTable } from '../platform/crypto/index.js';
import { exportFileContext } from './fhir/index.js';
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
  encryptedTable({
    table: 'bulk_export_file',
    key: ['job_id', 'resource_type'],
    columns: [
      {
        name: 'content',
        context: ({ job_id, resource_type }) => exportFileContext(job_id, resource_type),
      },
    ],
  }),
];

import { accessEncryptedColumns } from './access/index.js';
import { auditEncryptedColumns } from './audit/index.js';
import { consultEncryptedColumns } from './consults/index.js';
import { identityEncryptedColumns } from './identity/index.js';
import { outboxEncryptedColumns } from './outbox/index.js';
import { ehrEncryptedColumns } from './ehr/index.js';
import { recordEncryptedColumns } from './records/index.js';
import { EncryptedColumnRegistry } from './platform/crypto/index.js';

/**
 * Every column of the server that holds field ciphertext, so that key rotation re-seals all of it.
 * A module that stores `ctx.fields` ciphertext declares its tables with `encryptedTable` and is
 * listed here; a test fails for a sealed value found in a column that is not.
 */
export function encryptedColumns(): EncryptedColumnRegistry {
  return new EncryptedColumnRegistry().register(
    ...recordEncryptedColumns,
    ...consultEncryptedColumns,
    ...outboxEncryptedColumns,
    ...identityEncryptedColumns,
    ...accessEncryptedColumns,
    ...auditEncryptedColumns,
    ...ehrEncryptedColumns,
  );
}

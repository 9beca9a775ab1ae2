export { loadMasterKey, masterKeyFrom, MasterKeyError, type MasterKey } from './master-key.js';
export { KeyRing, KEY_PURPOSES, type KeyPurpose } from './key-ring.js';
export { FieldProtection, FieldDecryptionError } from './field-protection.js';
export { hashOpaqueToken, newOpaqueToken, OPAQUE_TOKEN_FORMAT } from './opaque-token.js';
export {
  EncryptedColumnRegistry,
  encryptedTable,
  type EncryptedColumn,
  type EncryptedTable,
} from './encrypted-columns.js';
export {
  reencryptAll,
  tableName,
  type ReencryptionOptions,
  type ReencryptionReport,
} from './reencryption.js';
export {
  countCiphertexts,
  countPending,
  retireUnusedKeyVersions,
  underOlderVersion,
  type CiphertextCount,
} from './key-usage.js';
export { rewrapDataKeys } from './master-rotation.js';

export { loadMasterKey, masterKeyFrom, MasterKeyError, type MasterKey } from './master-key.js';
export { KeyRing, KEY_PURPOSES, type KeyPurpose } from './key-ring.js';
export { FieldProtection, FieldDecryptionError } from './field-protection.js';
export { hashOpaqueToken, newOpaqueToken, OPAQUE_TOKEN_FORMAT } from './opaque-token.js';

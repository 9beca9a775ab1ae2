import { eq, and } from 'drizzle-orm';
import type { Database } from '../db/index.js';
import { open, seal } from './aes-gcm.js';
import { wrapAad } from './key-ring.js';
import { MasterKeyError, type MasterKey } from './master-key.js';
import { dataKey } from './schema.js';

/**
 * Re-wraps every data key under a new master key, in one transaction: either every key moves or
 * none does. The data itself is untouched, since only the data keys are sealed by the master key.
 * Rows already wrapped by the new key are left as they are, so a repeated run is harmless.
 */
export async function rewrapDataKeys(
  db: Database,
  current: MasterKey,
  replacement: MasterKey,
): Promise<number> {
  if (current.fingerprint === replacement.fingerprint) {
    throw new MasterKeyError('The new master key is the one already in use.');
  }
  return db.transaction(async (tx) => {
    const rows = await tx.select().from(dataKey).for('update');
    let rewrapped = 0;
    for (const row of rows) {
      if (row.masterFingerprint === replacement.fingerprint) continue;
      if (row.masterFingerprint !== current.fingerprint) {
        throw new MasterKeyError(
          `Data key ${row.purpose} v${row.version} is wrapped by master key ` +
            `${row.masterFingerprint}, neither the configured one (${current.fingerprint}) ` +
            `nor the new one (${replacement.fingerprint}).`,
        );
      }
      const aad = wrapAad(row.purpose, row.version);
      const key = open(current.key, Buffer.from(row.wrappedKey, 'base64'), aad);
      await tx
        .update(dataKey)
        .set({
          wrappedKey: seal(replacement.key, key, aad).toString('base64'),
          masterFingerprint: replacement.fingerprint,
        })
        .where(and(eq(dataKey.purpose, row.purpose), eq(dataKey.version, row.version)));
      rewrapped += 1;
    }
    return rewrapped;
  });
}

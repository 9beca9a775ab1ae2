import {
  countCiphertexts,
  underOlderVersion,
  type EncryptedColumnRegistry,
  type KeyRing,
  type MasterKey,
  type ReencryptionReport,
} from '../platform/crypto/index.js';
import type { Queryable } from '../platform/db/index.js';

/** What `keys status` prints: every data key version and how many stored values it seals. */
export async function keyStatusText(
  db: Queryable,
  keys: KeyRing,
  master: MasterKey,
  registry: EncryptedColumnRegistry,
): Promise<string> {
  const counts = await countCiphertexts(db, registry);
  const perVersion = new Map<number | null, number>();
  for (const c of counts) perVersion.set(c.version, (perVersion.get(c.version) ?? 0) + c.count);
  const active = keys.active('phi-fields').version;
  const lines = [`Data keys, wrapped by master key ${master.fingerprint}:`];
  for (const { purpose, version, activeFrom } of keys.versions()) {
    const state =
      purpose === 'blind-index'
        ? 'keys the blind indexes'
        : version === active
          ? 'active'
          : version > active
            ? `seals from ${activeFrom.toISOString()}`
            : 'opens only';
    const values = purpose === 'phi-fields' ? `, ${perVersion.get(version) ?? 0} values` : '';
    lines.push(`  ${purpose} v${version}: ${state}${values}`);
  }
  const pending = counts
    .filter((c) => underOlderVersion(c, active))
    .map((c) => `  ${c.table}.${c.column}: ${c.count} under v${c.version}`);
  lines.push(
    pending.length > 0
      ? `Values still under older versions (run "safeconsult keys reencrypt"):\n${pending.join('\n')}`
      : `Every stored value is sealed under the active version v${active}.`,
  );
  const unsealed = perVersion.get(null) ?? 0;
  if (unsealed > 0)
    lines.push(`Values in encrypted columns that are not sealed values: ${unsealed}`);
  return `${lines.join('\n')}\n`;
}

export function reportText(report: ReencryptionReport, left: number, stopped: boolean): string {
  const lines = [
    `${stopped ? 'Stopped' : 'Done'}: ${report.resealed} values re-sealed, ` +
      `${report.changedMeanwhile} changed meanwhile by a server (left as it wrote them), ` +
      `${report.unreadable} did not open.`,
    left > 0
      ? `${left} values are still under older versions: run "safeconsult keys reencrypt".`
      : 'Every stored value is sealed under the active version; "safeconsult keys retire" removes the older ones.',
  ];
  return `${lines.join('\n')}\n`;
}

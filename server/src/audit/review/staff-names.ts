import { inArray } from 'drizzle-orm';
import { staffUserTable } from '../../identity/index.js';
import type { Queryable } from '../../platform/db/index.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Current names of the staff accounts among `ids`, in one query. Ids that are not staff accounts
 * (a participant session's, or none) are skipped.
 */
export async function staffNames(
  db: Queryable,
  ids: readonly (string | null)[],
): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null && UUID.test(id)))];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .select({ id: staffUserTable.id, name: staffUserTable.displayName })
    .from(staffUserTable)
    .where(inArray(staffUserTable.id, wanted));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** A name for `id`, or null. */
export const nameOf = (names: ReadonlyMap<string, string>, id: string | null) =>
  (id !== null && names.get(id)) || null;

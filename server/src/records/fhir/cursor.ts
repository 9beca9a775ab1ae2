import { z } from 'zod';
import type { FieldProtection } from '../../platform/crypto/index.js';
import { AppError } from '../../platform/http/index.js';

/** How long a `next` link stays usable. */
const CURSOR_LIFETIME_MS = 30 * 60_000;

const cursorSchema = z.object({
  type: z.string(),
  pairs: z.array(z.tuple([z.string(), z.string()])),
  offset: z.number().int().min(0),
  /** For the ledger (AuditEvent): the ledger size the first page saw. */
  through: z.number().int().min(0).optional(),
  expires: z.number(),
});
type Cursor = z.infer<typeof cursorSchema>;

/**
 * A page's `next` link carries the search sealed (AES-GCM under the field key, bound to the
 * member of staff it was made for), so the address shows no search values, cannot be altered and
 * is useless to anyone else. It grants nothing: every page is searched and decided afresh.
 */
const contextOf = (userId: string) => `fhir.search-cursor:${userId}`;

export function sealCursor(
  fields: FieldProtection,
  userId: string,
  cursor: Omit<Cursor, 'expires'>,
  now: Date,
): string {
  return fields.encryptJson(
    { ...cursor, expires: now.getTime() + CURSOR_LIFETIME_MS },
    contextOf(userId),
  );
}

export function openCursor(
  fields: FieldProtection,
  userId: string,
  token: string,
  now: Date,
): Omit<Cursor, 'expires'> {
  let cursor: Cursor | undefined;
  try {
    cursor = cursorSchema.parse(fields.decryptJson<unknown>(token, contextOf(userId)));
  } catch {
    cursor = undefined;
  }
  if (!cursor || cursor.expires < now.getTime()) {
    throw new AppError('validation_failed', 'The page link is not valid or has expired.', [
      { path: '_cursor', message: 'is not a page link of this server for you, or has expired' },
    ]);
  }
  const { expires: _expires, ...open } = cursor;
  return open;
}

const PAGE_LINK_EXTRAS = new Set(['_count', '_format']);

/**
 * The search a request continues: its own parameters, or, with a `_cursor`, the sealed search of
 * that page link (with `_count` and `_format` given again replacing theirs) and where it stood.
 */
export function resumeSearch(
  fields: FieldProtection,
  userId: string,
  type: string,
  given: [string, string][],
  now: Date,
): { pairs: [string, string][]; offset: number; through?: number | undefined; token?: string } {
  const token = given.find(([name]) => name === '_cursor')?.[1];
  if (!token) return { pairs: given, offset: 0 };
  const cursor = openCursor(fields, userId, token, now);
  // Beside a page link only the page size may be given again (clients re-send _count).
  const beside = given.filter(([name]) => name !== '_cursor');
  if (cursor.type !== type || beside.some(([name]) => !PAGE_LINK_EXTRAS.has(name))) {
    throw new AppError('validation_failed', 'A page link stands alone.', [
      { path: '_cursor', message: 'is used with no search parameter beside it, on its own type' },
    ]);
  }
  const replaced = new Set(beside.map(([name]) => name));
  return {
    pairs: [...cursor.pairs.filter(([name]) => !replaced.has(name)), ...beside],
    offset: cursor.offset,
    through: cursor.through,
    token,
  };
}

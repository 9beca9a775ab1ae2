import { z } from 'zod';
import type { FieldProtection } from '../../platform/crypto/index.js';
import { AppError } from '../../platform/http/index.js';

/** How long a `next` link stays usable. */
const CURSOR_LIFETIME_MS = 30 * 60_000;

const cursorSchema = z.object({
  type: z.string(),
  pairs: z.array(z.tuple([z.string(), z.string()])),
  offset: z.number().int().min(0),
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
  return { type: cursor.type, pairs: cursor.pairs, offset: cursor.offset };
}

import { and, eq, gt, isNull } from 'drizzle-orm';
import {
  hashOpaqueToken as hashOf,
  newOpaqueToken,
  OPAQUE_TOKEN_FORMAT as TOKEN_FORMAT,
} from '../platform/crypto/index.js';
import type { Queryable } from '../platform/db/index.js';
import { staffToken } from './schema.js';

export type TokenPurpose = 'invitation' | 'password_reset';

/** How long each kind of link works. */
export const TOKEN_LIFETIME_MS: Record<TokenPurpose, number> = {
  invitation: 72 * 3_600_000,
  password_reset: 60 * 60_000,
};

/** A new single-use token; any earlier unused token of the same purpose for the user stops working. */
export async function issueToken(
  db: Queryable,
  userId: string,
  purpose: TokenPurpose,
  now: Date,
): Promise<string> {
  await db
    .update(staffToken)
    .set({ usedAt: now })
    .where(
      and(
        eq(staffToken.userId, userId),
        eq(staffToken.purpose, purpose),
        isNull(staffToken.usedAt),
      ),
    );
  const token = newOpaqueToken();
  await db.insert(staffToken).values({
    userId,
    purpose,
    tokenHash: hashOf(token),
    createdAt: now,
    expiresAt: new Date(now.getTime() + TOKEN_LIFETIME_MS[purpose]),
  });
  return token;
}

/** The user a token was issued to, while it is unused and unexpired. */
export async function findUsableToken(
  db: Queryable,
  token: string,
  purpose: TokenPurpose,
  now: Date,
): Promise<{ id: string; userId: string } | undefined> {
  if (!TOKEN_FORMAT.test(token)) return undefined;
  const [row] = await db
    .select({ id: staffToken.id, userId: staffToken.userId })
    .from(staffToken)
    .where(
      and(
        eq(staffToken.tokenHash, hashOf(token)),
        eq(staffToken.purpose, purpose),
        isNull(staffToken.usedAt),
        gt(staffToken.expiresAt, now),
      ),
    );
  return row;
}

/** Marks a token used; false when another request used it first. */
export async function consumeToken(db: Queryable, id: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(staffToken)
    .set({ usedAt: now })
    .where(and(eq(staffToken.id, id), isNull(staffToken.usedAt)))
    .returning({ id: staffToken.id });
  return rows.length > 0;
}

import { and, eq, gt, lt } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/index.js';
import { webauthnChallenge } from '../schema.js';

export type ChallengePurpose = 'register' | 'second_factor' | 'sign_in' | 'reauthenticate';

/** Long enough to find and touch a security key; short enough that a stolen challenge goes stale. */
const CHALLENGE_TTL_MS = 5 * 60_000;

export async function storeChallenge(
  db: Queryable,
  challenge: string,
  purpose: ChallengePurpose,
  userId: string | null,
  now: Date,
): Promise<string> {
  // Abandoned ceremonies leave challenges behind; each new one sweeps the stale ones away.
  await db.delete(webauthnChallenge).where(lt(webauthnChallenge.expiresAt, now));
  const [row] = await db
    .insert(webauthnChallenge)
    .values({
      challenge,
      purpose,
      userId,
      expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS),
    })
    .returning({ id: webauthnChallenge.id });
  if (!row) throw new Error('a challenge was not stored');
  return row.id;
}

/**
 * Takes a live challenge out of the store: whatever the answer's fate, it cannot be answered twice.
 * A challenge issued for another purpose or user is not found.
 */
export async function takeChallenge(
  db: Queryable,
  id: string,
  purpose: ChallengePurpose,
  userId: string | null,
  now: Date,
): Promise<string | undefined> {
  const [row] = await db
    .delete(webauthnChallenge)
    .where(and(eq(webauthnChallenge.id, id), gt(webauthnChallenge.expiresAt, now)))
    .returning();
  if (!row || row.purpose !== purpose || row.userId !== userId) return undefined;
  return row.challenge;
}

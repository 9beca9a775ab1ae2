import { and, asc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { OutboxChannel } from '@safeconsult/protocol';
import type { Queryable } from '../platform/db/index.js';
import { outboxMessage } from './schema.js';

export type ClaimedMessage = typeof outboxMessage.$inferSelect;

/**
 * Takes the oldest due message of the channel for this node until `claimedUntil`, counting the
 * attempt (each channel has its own worker and transport). One
 * statement: `SKIP LOCKED` lets nodes claiming at the same moment pass over each other's row, and
 * the claim is committed before the send, so no transaction stays open over the network.
 */
export async function claimNextMessage(
  db: Queryable,
  channel: OutboxChannel,
  now: Date,
  claimedUntil: Date,
): Promise<ClaimedMessage | undefined> {
  const due = db
    .select({ id: outboxMessage.id })
    .from(outboxMessage)
    .where(
      and(
        eq(outboxMessage.channel, channel),
        isNull(outboxMessage.sentAt),
        isNull(outboxMessage.failedAt),
        lte(outboxMessage.nextAttemptAt, now),
        or(isNull(outboxMessage.claimedUntil), lte(outboxMessage.claimedUntil, now)),
      ),
    )
    .orderBy(asc(outboxMessage.createdAt), asc(outboxMessage.id))
    .limit(1)
    .for('update', { skipLocked: true });
  const [claimed] = await db
    .update(outboxMessage)
    .set({ attempts: sql`${outboxMessage.attempts} + 1`, claimedUntil })
    .where(inArray(outboxMessage.id, due))
    .returning();
  return claimed;
}

/**
 * The claim is identified by its attempt number: should a claim have run out and another node have
 * taken the message, this node's late outcome changes nothing.
 */
const stillClaimed = (claim: ClaimedMessage) =>
  and(
    eq(outboxMessage.id, claim.id),
    eq(outboxMessage.attempts, claim.attempts),
    isNull(outboxMessage.sentAt),
  );

export async function markSent(db: Queryable, claim: ClaimedMessage, now: Date): Promise<void> {
  await db
    .update(outboxMessage)
    .set({ sentAt: now, claimedUntil: null, nextAttemptAt: null, lastError: null })
    .where(stillClaimed(claim));
}

/** Records a failed attempt: the next one is due at `retryAt`, or never when it is `null`. */
export async function markAttemptFailed(
  db: Queryable,
  claim: ClaimedMessage,
  error: string,
  now: Date,
  retryAt: Date | null,
): Promise<void> {
  await db
    .update(outboxMessage)
    .set({
      claimedUntil: null,
      lastError: error,
      nextAttemptAt: retryAt,
      failedAt: retryAt ? null : now,
    })
    .where(stillClaimed(claim));
}

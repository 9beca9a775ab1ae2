import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Messages to people (invitations, password resets, later consult links). Recipient and body are
 * encrypted: bodies carry single-use links. A message made while the transport is `stored` stays
 * for the admin console; one made for a mail transport waits in the queue columns until sent.
 */
export const outboxMessage = pgTable(
  'outbox_message',
  {
    id: uuid().primaryKey(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    channel: text().notNull(),
    purpose: text().notNull(),
    recipient: text().notNull(),
    subject: text().notNull(),
    body: text().notNull(),
    /** Files sent with the message (JSON: name, type, base64 content), encrypted like the body. */
    attachments: text(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /**
     * The transport configured for the message's channel when it was made (`stored`, `smtp`,
     * `sms_gateway`). Rows made while a channel had none stay `stored`, so configuring one later
     * does not send out old, expired links.
     */
    transport: text().notNull().default('stored'),
    /** Delivery attempts started, counted at claim time so a crash mid-send still counts. */
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    /** A node sending the message holds it until then; afterwards another node may take it over. */
    claimedUntil: timestamp('claimed_until', { withTimezone: true }),
    /** Why the last attempt failed, in words that never include the recipient or the content. */
    lastError: text('last_error'),
    /** Set when the attempts ran out: the message is no longer tried. */
    failedAt: timestamp('failed_at', { withTimezone: true }),
  },
  (t) => [
    index('outbox_message_created_idx').on(t.createdAt),
    index('outbox_message_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`sent_at is null and failed_at is null`),
  ],
);

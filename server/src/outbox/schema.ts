import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Messages to people (invitations, password resets, later consult links). Recipient and body are
 * encrypted: bodies carry single-use links. The stored outbox is what the demo and tests deliver to;
 * a mail or SMS transport marks a message sent when it has handed it over.
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
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [index('outbox_message_created_idx').on(t.createdAt)],
);

import { randomUUID } from 'node:crypto';
import { desc } from 'drizzle-orm';
import type { FieldProtection } from '../platform/crypto/index.js';
import type { Queryable } from '../platform/db/index.js';
import { outboxMessage } from './schema.js';

export interface OutgoingMessage {
  channel: 'email';
  purpose: 'staff_invitation' | 'password_reset' | 'consult_invitation';
  recipient: string;
  subject: string;
  body: string;
}

export interface StoredMessage extends OutgoingMessage {
  id: string;
  createdAt: Date;
  sentAt: Date | null;
}

const context = (id: string, field: string) => `outbox_message.${field}:${id}`;

/** Queues a message in the same transaction as the change that causes it. */
export async function enqueueMessage(
  db: Queryable,
  fields: FieldProtection,
  message: OutgoingMessage,
  now: Date,
): Promise<string> {
  const id = randomUUID();
  await db.insert(outboxMessage).values({
    id,
    createdAt: now,
    channel: message.channel,
    purpose: message.purpose,
    recipient: fields.encrypt(message.recipient, context(id, 'recipient')),
    subject: fields.encrypt(message.subject, context(id, 'subject')),
    body: fields.encrypt(message.body, context(id, 'body')),
  });
  return id;
}

export async function listMessages(
  db: Queryable,
  fields: FieldProtection,
  limit: number,
): Promise<StoredMessage[]> {
  const rows = await db
    .select()
    .from(outboxMessage)
    .orderBy(desc(outboxMessage.createdAt))
    .limit(limit);
  return rows.map((r) => ({
    id: r.id,
    createdAt: r.createdAt,
    sentAt: r.sentAt,
    channel: r.channel as OutgoingMessage['channel'],
    purpose: r.purpose as OutgoingMessage['purpose'],
    recipient: fields.decrypt(r.recipient, context(r.id, 'recipient')),
    subject: fields.decrypt(r.subject, context(r.id, 'subject')),
    body: fields.decrypt(r.body, context(r.id, 'body')),
  }));
}

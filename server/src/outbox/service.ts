import { randomUUID } from 'node:crypto';
import { desc } from 'drizzle-orm';
import type { DeliveryState } from '@safeconsult/protocol';
import type { OutboxConfig } from '../platform/config/index.js';
import type { FieldProtection } from '../platform/crypto/index.js';
import type { Queryable } from '../platform/db/index.js';
import { outboxMessage } from './schema.js';

export interface OutgoingMessage {
  channel: 'email';
  purpose: 'staff_invitation' | 'password_reset' | 'consult_invitation' | 'security_alert';
  recipient: string;
  subject: string;
  body: string;
}

export interface StoredMessage extends OutgoingMessage {
  id: string;
  createdAt: Date;
  sentAt: Date | null;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
}

/** What the outbox needs from the application context. */
export interface OutboxDeps {
  fields: FieldProtection;
  config: { outbox: OutboxConfig };
}

type Row = typeof outboxMessage.$inferSelect;

const context = (id: string, field: string) => `outbox_message.${field}:${id}`;

/**
 * Queues a message in the same transaction as the change that causes it. After the commit, wake
 * this node's delivery worker (`DeliverySignal.notify`) so the message leaves at once.
 */
export async function enqueueMessage(
  deps: OutboxDeps,
  db: Queryable,
  message: OutgoingMessage,
  now: Date,
): Promise<string> {
  const id = randomUUID();
  const { fields } = deps;
  const transport = deps.config.outbox.transport;
  await db.insert(outboxMessage).values({
    id,
    createdAt: now,
    channel: message.channel,
    purpose: message.purpose,
    recipient: fields.encrypt(message.recipient, context(id, 'recipient')),
    subject: fields.encrypt(message.subject, context(id, 'subject')),
    body: fields.encrypt(message.body, context(id, 'body')),
    transport,
    nextAttemptAt: transport === 'stored' ? null : now,
  });
  return id;
}

/** The readable message of a row: only this module holds the encryption contexts. */
export function openMessage(fields: FieldProtection, row: Row): OutgoingMessage {
  return {
    channel: row.channel as OutgoingMessage['channel'],
    purpose: row.purpose as OutgoingMessage['purpose'],
    recipient: fields.decrypt(row.recipient, context(row.id, 'recipient')),
    subject: fields.decrypt(row.subject, context(row.id, 'subject')),
    body: fields.decrypt(row.body, context(row.id, 'body')),
  };
}

function deliveryState(row: Row): DeliveryState {
  if (row.sentAt) return 'sent';
  if (row.failedAt) return 'failed';
  return row.transport === 'stored' ? 'stored' : 'pending';
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
  return rows.map((r) => {
    const state = deliveryState(r);
    return {
      ...openMessage(fields, r),
      id: r.id,
      createdAt: r.createdAt,
      sentAt: r.sentAt,
      state,
      attempts: r.attempts,
      nextAttemptAt: state === 'pending' ? r.nextAttemptAt : null,
      lastError: r.lastError,
    };
  });
}

import { randomUUID } from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import type {
  DeliveryState,
  OutboxAttachment,
  OutboxChannel,
  OutboxMessage,
} from '@safeconsult/protocol';
import type { OutboxConfig, SmsGatewayConfig } from '../platform/config/index.js';
import type { FieldProtection } from '../platform/crypto/index.js';
import type { Queryable } from '../platform/db/index.js';
import { outboxMessage } from './schema.js';

/** A file sent with a message; `content` is base64. */
export interface MessageAttachment {
  filename: string;
  contentType: string;
  content: string;
}

export interface OutgoingMessage {
  channel: OutboxChannel;
  purpose: OutboxMessage['purpose'];
  recipient: string;
  subject: string;
  body: string;
  attachments?: MessageAttachment[] | undefined;
}

export interface StoredMessage extends Omit<OutgoingMessage, 'attachments'> {
  id: string;
  createdAt: Date;
  sentAt: Date | null;
  attachments: OutboxAttachment[];
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
}

/** What the outbox needs from the application context. */
export interface OutboxDeps {
  fields: FieldProtection;
  config: { outbox: OutboxConfig; smsGateway: SmsGatewayConfig | null };
}

type Row = typeof outboxMessage.$inferSelect;

export const messageContext = (id: string, field: string) => `outbox_message.${field}:${id}`;

/** The transport a new message of the channel is queued for; `stored` when none is configured. */
function transportFor(channel: OutboxChannel, config: OutboxDeps['config']): string {
  switch (channel) {
    case 'email':
      return config.outbox.transport;
    case 'sms':
      return config.smsGateway ? 'sms_gateway' : 'stored';
  }
}

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
  const transport = transportFor(message.channel, deps.config);
  const attachments = message.attachments?.length ? message.attachments : null;
  await db.insert(outboxMessage).values({
    id,
    createdAt: now,
    channel: message.channel,
    purpose: message.purpose,
    recipient: fields.encrypt(message.recipient, messageContext(id, 'recipient')),
    subject: fields.encrypt(message.subject, messageContext(id, 'subject')),
    body: fields.encrypt(message.body, messageContext(id, 'body')),
    attachments: attachments
      ? fields.encrypt(JSON.stringify(attachments), messageContext(id, 'attachments'))
      : null,
    transport,
    nextAttemptAt: transport === 'stored' ? null : now,
  });
  return id;
}

function openAttachments(fields: FieldProtection, row: Row): MessageAttachment[] {
  if (!row.attachments) return [];
  return JSON.parse(
    fields.decrypt(row.attachments, messageContext(row.id, 'attachments')),
  ) as MessageAttachment[];
}

/** The readable message of a row: only this module holds the encryption contexts. */
export function openMessage(fields: FieldProtection, row: Row): OutgoingMessage {
  return {
    channel: row.channel as OutboxChannel,
    purpose: row.purpose as OutgoingMessage['purpose'],
    recipient: fields.decrypt(row.recipient, messageContext(row.id, 'recipient')),
    subject: fields.decrypt(row.subject, messageContext(row.id, 'subject')),
    body: fields.decrypt(row.body, messageContext(row.id, 'body')),
    attachments: openAttachments(fields, row),
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
    const { attachments, ...message } = openMessage(fields, r);
    return {
      ...message,
      attachments: (attachments ?? []).map((a) => ({
        filename: a.filename,
        contentType: a.contentType,
        size: Buffer.from(a.content, 'base64').length,
      })),
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

/** One attachment of a message, for the admin console's download; undefined when there is none. */
export async function readAttachment(
  db: Queryable,
  fields: FieldProtection,
  messageId: string,
  index: number,
): Promise<MessageAttachment | undefined> {
  const [row] = await db.select().from(outboxMessage).where(eq(outboxMessage.id, messageId));
  return row ? openAttachments(fields, row)[index] : undefined;
}

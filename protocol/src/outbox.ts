import { z } from 'zod';

/**
 * `stored`: kept for the admin console only (no transport for its channel configured when it was
 * made); `pending`: queued for its transport, perhaps after failed attempts; `sent`: handed to the
 * relay or gateway; `failed`: the attempts ran out.
 */
export const DELIVERY_STATES = ['stored', 'pending', 'sent', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** E-mail through a mail relay, or a short text through an SMS gateway. */
export const OUTBOX_CHANNELS = ['email', 'sms'] as const;
export type OutboxChannel = (typeof OUTBOX_CHANNELS)[number];

export const OUTBOX_PURPOSES = [
  'staff_invitation',
  'password_reset',
  'consult_invitation',
  'consult_cancellation',
  'security_alert',
] as const;

/** A file sent with a message (a calendar entry), listed without its content. */
export const outboxAttachmentSchema = z.object({
  filename: z.string(),
  contentType: z.string(),
  /** Bytes. */
  size: z.number().int().min(0),
});
export type OutboxAttachment = z.infer<typeof outboxAttachmentSchema>;

export const outboxMessageSchema = z.object({
  id: z.uuid(),
  createdAt: z.iso.datetime(),
  sentAt: z.iso.datetime().nullable(),
  channel: z.enum(OUTBOX_CHANNELS),
  purpose: z.enum(OUTBOX_PURPOSES),
  recipient: z.string(),
  /** Empty for a text message, which has none. */
  subject: z.string(),
  body: z.string(),
  attachments: z.array(outboxAttachmentSchema),
  state: z.enum(DELIVERY_STATES),
  attempts: z.number().int().min(0),
  /** When a pending message is tried next. */
  nextAttemptAt: z.iso.datetime().nullable(),
  /** Why the last attempt failed: an error code and the relay's reply code, never content. */
  lastError: z.string().nullable(),
});
export type OutboxMessage = z.infer<typeof outboxMessageSchema>;

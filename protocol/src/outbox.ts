import { z } from 'zod';

/**
 * `stored`: kept for the admin console only (no mail transport configured when it was made);
 * `pending`: queued for the mail transport, perhaps after failed attempts; `sent`: handed to the
 * relay; `failed`: the attempts ran out.
 */
export const DELIVERY_STATES = ['stored', 'pending', 'sent', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export const outboxMessageSchema = z.object({
  id: z.uuid(),
  createdAt: z.iso.datetime(),
  sentAt: z.iso.datetime().nullable(),
  channel: z.enum(['email']),
  purpose: z.enum(['staff_invitation', 'password_reset', 'consult_invitation', 'security_alert']),
  recipient: z.string(),
  subject: z.string(),
  body: z.string(),
  state: z.enum(DELIVERY_STATES),
  attempts: z.number().int().min(0),
  /** When a pending message is tried next. */
  nextAttemptAt: z.iso.datetime().nullable(),
  /** Why the last attempt failed: an error code and the relay's reply code, never content. */
  lastError: z.string().nullable(),
});
export type OutboxMessage = z.infer<typeof outboxMessageSchema>;

import { z } from 'zod';

export const outboxMessageSchema = z.object({
  id: z.uuid(),
  createdAt: z.iso.datetime(),
  sentAt: z.iso.datetime().nullable(),
  channel: z.enum(['email']),
  purpose: z.enum(['staff_invitation', 'password_reset', 'consult_invitation']),
  recipient: z.string(),
  subject: z.string(),
  body: z.string(),
});
export type OutboxMessage = z.infer<typeof outboxMessageSchema>;

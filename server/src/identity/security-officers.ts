import { and, eq, isNull } from 'drizzle-orm';
import { enqueueMessage, type OutboxDeps } from '../outbox/index.js';
import type { Queryable } from '../platform/db/index.js';
import { staffUser } from './schema.js';

/**
 * Queues a message to every active security officer in the caller's transaction, so the alert
 * commits with what it is about. The message must carry no patient data: it leaves the product.
 * Wake the outbox delivery after the commit.
 */
export async function notifySecurityOfficers(
  deps: OutboxDeps,
  db: Queryable,
  message: { subject: string; body: string },
  now: Date,
): Promise<void> {
  const officers = await db
    .select({ email: staffUser.email })
    .from(staffUser)
    .where(and(eq(staffUser.role, 'security_officer'), isNull(staffUser.disabledAt)));
  for (const { email } of officers) {
    await enqueueMessage(
      deps,
      db,
      { channel: 'email', purpose: 'security_alert', recipient: email, ...message },
      now,
    );
  }
}

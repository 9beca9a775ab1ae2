import { eq } from 'drizzle-orm';
import type { FieldProtection } from '../platform/crypto/index.js';
import type { Queryable } from '../platform/db/index.js';
import { hasConfirmedTotp, verifySecondFactor } from './mfa/mfa-service.js';
import { verifyPassword } from './password/password-hash.js';
import { staffSession, staffUser } from './schema.js';
import { recordSecurityEvent } from './security-events.js';
import type { ActiveSession } from './sessions/session-store.js';
import {
  accountBackoff,
  recordFailure,
  type SignInRefusal,
  type ThrottlePolicy,
} from './sign-in.js';

export type ReauthenticationResult =
  { kind: 'confirmed' } | { kind: 'code-required' } | SignInRefusal;

/**
 * Proves again, inside a session, that its user is at the keyboard: the password, and the second
 * factor where one is enrolled. Failures count like sign-in failures.
 */
export async function reauthenticate(
  db: Queryable,
  fields: FieldProtection,
  session: ActiveSession,
  proof: { password: string; code?: string | undefined },
  address: string,
  throttle: ThrottlePolicy,
  now: Date,
): Promise<ReauthenticationResult> {
  const [user] = await db.select().from(staffUser).where(eq(staffUser.id, session.userId));
  if (!user?.passwordHash) return { kind: 'invalid' };
  const waiting = await accountBackoff(db, user, address, throttle, now);
  if (waiting) return waiting;
  const password = await verifyPassword(user.passwordHash, proof.password);
  if (!password.matches)
    return recordFailure(db, user.id, address, throttle, now, 'wrong_password');
  if (await hasConfirmedTotp(db, user.id)) {
    if (!proof.code) return { kind: 'code-required' };
    if (!(await verifySecondFactor(db, fields, user.id, proof.code, now))) {
      return recordFailure(db, user.id, address, throttle, now, 'wrong_second_factor');
    }
  }
  await db
    .update(staffSession)
    .set({ reauthenticatedAt: now })
    .where(eq(staffSession.id, session.id));
  await db.update(staffUser).set({ failedSignIns: 0 }).where(eq(staffUser.id, user.id));
  await recordSecurityEvent(db, { type: 'reauthenticated', userId: user.id, address }, now);
  return { kind: 'confirmed' };
}

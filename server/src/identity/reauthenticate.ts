import { eq } from 'drizzle-orm';
import type { MfaRequirement } from '@safeconsult/protocol';
import type { FieldProtection } from '../platform/crypto/index.js';
import type { Queryable } from '../platform/db/index.js';
import { acceptedSecondFactors, enrolledFactors } from './mfa/factors.js';
import { verifySecondFactor } from './mfa/mfa-service.js';
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
  { kind: 'confirmed' } | { kind: 'code-required' } | { kind: 'passkey-required' } | SignInRefusal;

/**
 * Proves again, inside a session, that its user is at the keyboard: the password, and the
 * authenticator code where one is enrolled. Someone who signs in with passkeys proves it with a
 * passkey instead. Failures count like sign-in failures.
 */
export async function reauthenticate(
  db: Queryable,
  fields: FieldProtection,
  session: ActiveSession,
  proof: { password: string; code?: string | undefined },
  requirement: MfaRequirement,
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
  const methods = acceptedSecondFactors(requirement, await enrolledFactors(db, user.id));
  if (methods.includes('passkey') && !methods.includes('totp')) {
    return { kind: 'passkey-required' };
  }
  if (methods.includes('totp')) {
    if (!proof.code) return { kind: 'code-required' };
    if (!(await verifySecondFactor(db, fields, user.id, proof.code, now))) {
      return recordFailure(db, user.id, address, throttle, now, 'wrong_second_factor');
    }
  }
  await confirmReauthentication(db, session, address, 'password', now);
  return { kind: 'confirmed' };
}

/** Marks the session as freshly proven, by a password (and code) or by a passkey. */
export async function confirmReauthentication(
  db: Queryable,
  session: ActiveSession,
  address: string,
  method: 'password' | 'passkey',
  now: Date,
): Promise<void> {
  await db
    .update(staffSession)
    .set({ reauthenticatedAt: now })
    .where(eq(staffSession.id, session.id));
  await db.update(staffUser).set({ failedSignIns: 0 }).where(eq(staffUser.id, session.userId));
  await recordSecurityEvent(
    db,
    { type: 'reauthenticated', userId: session.userId, address, detail: { method } },
    now,
  );
}

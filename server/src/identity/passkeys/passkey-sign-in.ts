import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { passkeyAssertionSchema } from '@safeconsult/protocol';
import type { Queryable } from '../../platform/db/index.js';
import { staffUser } from '../schema.js';
import { recordSecurityEvent } from '../security-events.js';
import { createSession, type ClientInfo } from '../sessions/session-store.js';
import {
  addressRetryAfter,
  countAddressFailure,
  type SignInPolicies,
  type SignInResult,
} from '../sign-in.js';
import { verifyPasskey } from './passkey-service.js';
import type { RelyingParty } from './relying-party.js';

/**
 * Signs in with a passkey alone. The authenticator verified its user (PIN or biometric) and the
 * signature is bound to our origin, so this is phishing-resistant multi-factor sign-in on its own:
 * the session is complete at once. Failures count against the client address as password
 * failures do; there is no account to count them against before the passkey is recognised.
 */
export async function signInWithPasskey(
  db: Queryable,
  rp: RelyingParty,
  assertion: z.infer<typeof passkeyAssertionSchema>,
  client: ClientInfo,
  policies: SignInPolicies,
  now: Date,
): Promise<SignInResult> {
  const { address } = client;
  const addressWait = await addressRetryAfter(db, address, policies.throttle, now);
  if (addressWait > 0) return { kind: 'throttled', retryAfterSeconds: addressWait };

  const owner = await verifyPasskey(db, rp, 'sign_in', null, assertion, now);
  const [user] = owner
    ? await db.select().from(staffUser).where(eq(staffUser.id, owner.userId))
    : [];
  if (!owner || !user || user.disabledAt) {
    await countAddressFailure(db, address, policies.throttle, now);
    await recordSecurityEvent(
      db,
      { type: 'sign_in_failed', userId: user?.id, address, detail: { reason: 'passkey_invalid' } },
      now,
    );
    return { kind: 'invalid' };
  }
  if (user.lockedAt) {
    await recordSecurityEvent(
      db,
      { type: 'sign_in_failed', userId: user.id, address, detail: { reason: 'locked' } },
      now,
    );
    return { kind: 'locked' };
  }
  return db.transaction(async (tx) => {
    await tx
      .update(staffUser)
      .set({ failedSignIns: 0, lastSignInAt: now })
      .where(eq(staffUser.id, user.id));
    const token = await createSession(
      tx,
      user.id,
      client,
      policies.session,
      now,
      'full',
      'staff_passkey',
    );
    await recordSecurityEvent(
      tx,
      { type: 'signed_in', userId: user.id, address, detail: { stage: 'full', method: 'passkey' } },
      now,
    );
    return { kind: 'signed-in' as const, token, userId: user.id, stage: 'full' as const };
  });
}

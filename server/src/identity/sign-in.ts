import { eq, sql } from 'drizzle-orm';
import type { MfaRequirement, SecurityPolicy, StaffRole } from '@safeconsult/protocol';
import type { Queryable } from '../platform/db/index.js';
import { hashPassword, verifyAgainstDecoy, verifyPassword } from './password/password-hash.js';
import { enrolledFactors, stageAfterPassword } from './mfa/factors.js';
import { signInThrottle, staffUser } from './schema.js';
import { sessionPolicyOf } from './security-policy.js';
import { recordSecurityEvent } from './security-events.js';
import {
  createSession,
  type ClientInfo,
  type SessionPolicy,
  type SessionStage,
} from './sessions/session-store.js';

/** How repeated failures slow an attacker down, per account and per client address. */
export interface ThrottlePolicy {
  /** Failures allowed before back-off starts. */
  freeFailures: number;
  /** Back-off doubles with each further failure, up to this. */
  maxBackoffMs: number;
  /** Consecutive failures that lock the account (NIST: no more than 100). */
  lockAfter: number;
  /** Failures from one address within the window before that address must wait. */
  addressMaxFailures: number;
  addressWindowMs: number;
}

export const DEFAULT_THROTTLE_POLICY: ThrottlePolicy = {
  freeFailures: 5,
  maxBackoffMs: 15 * 60_000,
  lockAfter: 100,
  addressMaxFailures: 50,
  addressWindowMs: 15 * 60_000,
};

export interface SignInPolicies {
  session: SessionPolicy;
  throttle: ThrottlePolicy;
  /** What each role must present besides its password. */
  mfa: Record<StaffRole, MfaRequirement>;
}

/** The sign-in rules that follow from the organisation's policy. */
export function signInPolicies(policy: SecurityPolicy): SignInPolicies {
  return { session: sessionPolicyOf(policy), throttle: DEFAULT_THROTTLE_POLICY, mfa: policy.mfa };
}

export type SignInRefusal =
  { kind: 'invalid' } | { kind: 'throttled'; retryAfterSeconds: number } | { kind: 'locked' };

export type SignInResult =
  { kind: 'signed-in'; token: string; userId: string; stage: SessionStage } | SignInRefusal;

export interface SignInRequest {
  email: string;
  password: string;
  client: ClientInfo;
}

/** The wait after `failures` consecutive failures: none at first, then 1 s, 2 s, 4 s … */
export function backoffMs(failures: number, policy: ThrottlePolicy): number {
  const over = failures - policy.freeFailures;
  return over < 0 ? 0 : Math.min(1000 * 2 ** over, policy.maxBackoffMs);
}

export async function addressRetryAfter(
  db: Queryable,
  address: string,
  policy: ThrottlePolicy,
  now: Date,
) {
  const [row] = await db.select().from(signInThrottle).where(eq(signInThrottle.address, address));
  if (!row) return 0;
  const windowEnds = row.windowStartedAt.getTime() + policy.addressWindowMs;
  return row.failures >= policy.addressMaxFailures && windowEnds > now.getTime()
    ? Math.ceil((windowEnds - now.getTime()) / 1000)
    : 0;
}

export async function countAddressFailure(
  db: Queryable,
  address: string,
  policy: ThrottlePolicy,
  now: Date,
) {
  const windowStart = new Date(now.getTime() - policy.addressWindowMs);
  await db
    .insert(signInThrottle)
    .values({ address, windowStartedAt: now, failures: 1 })
    .onConflictDoUpdate({
      target: signInThrottle.address,
      set: {
        // A window that has run out starts again with this failure.
        failures: sql`case when ${signInThrottle.windowStartedAt} < ${windowStart} then 1 else ${signInThrottle.failures} + 1 end`,
        windowStartedAt: sql`case when ${signInThrottle.windowStartedAt} < ${windowStart} then ${now} else ${signInThrottle.windowStartedAt} end`,
      },
    });
}

/**
 * Checks a password sign-in. Unknown accounts take as long as known ones and get the same answer.
 * Every failure is counted per account and per address and recorded for the security officer.
 */
export async function signIn(
  db: Queryable,
  request: SignInRequest,
  policies: SignInPolicies,
  now: Date,
): Promise<SignInResult> {
  const { throttle } = policies;
  const { address } = request.client;
  const addressWait = await addressRetryAfter(db, address, throttle, now);
  if (addressWait > 0) {
    await recordSecurityEvent(
      db,
      { type: 'sign_in_throttled', address, detail: { scope: 'address' } },
      now,
    );
    return { kind: 'throttled', retryAfterSeconds: addressWait };
  }

  const email = request.email.trim().toLowerCase();
  const [user] = await db.select().from(staffUser).where(eq(staffUser.email, email));
  if (!user || !user.passwordHash || user.disabledAt) {
    await verifyAgainstDecoy(request.password);
    await countAddressFailure(db, address, throttle, now);
    await recordSecurityEvent(
      db,
      { type: 'sign_in_failed', address, detail: { reason: 'no_usable_account' } },
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
  const waiting = await accountBackoff(db, user, address, throttle, now);
  if (waiting) return waiting;

  const check = await verifyPassword(user.passwordHash, request.password);
  if (!check.matches) return recordFailure(db, user.id, address, throttle, now, 'wrong_password');
  const stage = stageAfterPassword(
    policies.mfa[user.role as StaffRole],
    await enrolledFactors(db, user.id),
  );

  return db.transaction(async (tx) => {
    await tx
      .update(staffUser)
      .set({
        failedSignIns: 0,
        lastSignInAt: now,
        ...(check.needsRehash ? { passwordHash: await hashPassword(request.password) } : {}),
      })
      .where(eq(staffUser.id, user.id));
    if (check.needsRehash) {
      await recordSecurityEvent(tx, { type: 'password_rehashed', userId: user.id }, now);
    }
    // A session still owing its second factor becomes a new one when it is given (promoteSession).
    const token = await createSession(
      tx,
      user.id,
      request.client,
      policies.session,
      now,
      stage,
      'staff_password',
    );
    await recordSecurityEvent(
      tx,
      { type: 'signed_in', userId: user.id, address, detail: { stage } },
      now,
    );
    return { kind: 'signed-in' as const, token, userId: user.id, stage };
  });
}

/** The wait an account owes after its consecutive failures, as a result, or nothing. */
export async function accountBackoff(
  db: Queryable,
  user: { id: string; failedSignIns: number; lastFailedSignInAt: Date | null },
  address: string,
  throttle: ThrottlePolicy,
  now: Date,
): Promise<Extract<SignInRefusal, { kind: 'throttled' }> | undefined> {
  const wait = user.lastFailedSignInAt
    ? user.lastFailedSignInAt.getTime() + backoffMs(user.failedSignIns, throttle) - now.getTime()
    : 0;
  if (wait <= 0) return undefined;
  await recordSecurityEvent(
    db,
    { type: 'sign_in_throttled', userId: user.id, address, detail: { scope: 'account' } },
    now,
  );
  return { kind: 'throttled', retryAfterSeconds: Math.ceil(wait / 1000) };
}

/** Counts a failed password or second-factor code against the account, locking it at the limit. */
export async function recordFailure(
  db: Queryable,
  userId: string,
  address: string,
  throttle: ThrottlePolicy,
  now: Date,
  reason: 'wrong_password' | 'wrong_second_factor',
): Promise<Exclude<SignInRefusal, { kind: 'throttled' }>> {
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(staffUser)
      .set({
        failedSignIns: sql`${staffUser.failedSignIns} + 1`,
        lastFailedSignInAt: now,
        lockedAt: sql`case when ${staffUser.failedSignIns} + 1 >= ${throttle.lockAfter} then ${now} else ${staffUser.lockedAt} end`,
      })
      .where(eq(staffUser.id, userId))
      .returning({ failures: staffUser.failedSignIns, lockedAt: staffUser.lockedAt });
    await countAddressFailure(tx, address, throttle, now);
    await recordSecurityEvent(
      tx,
      {
        type: 'sign_in_failed',
        userId,
        address,
        detail: { reason, consecutive: updated?.failures ?? 0 },
      },
      now,
    );
    if (updated?.lockedAt) {
      await recordSecurityEvent(tx, { type: 'account_locked', userId, address }, now);
      return { kind: 'locked' as const };
    }
    return { kind: 'invalid' as const };
  });
}

/** An administrator lifts a lock; the failure count starts again. */
export async function unlockAccount(
  db: Queryable,
  userId: string,
  adminId: string,
  now: Date,
): Promise<boolean> {
  const rows = await db
    .update(staffUser)
    .set({ lockedAt: null, failedSignIns: 0, lastFailedSignInAt: null })
    .where(eq(staffUser.id, userId))
    .returning({ id: staffUser.id });
  if (rows.length === 0) return false;
  await recordSecurityEvent(db, { type: 'account_unlocked', userId, detail: { by: adminId } }, now);
  return true;
}

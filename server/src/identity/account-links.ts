import { eq } from 'drizzle-orm';
import type { StaffRole } from '@safeconsult/protocol';
import type { AppContext } from '../context.js';
import { getClinicInfo } from '../clinic/index.js';
import { currentSecurityPolicy, passwordPolicyOf } from './security-policy.js';
import { enqueueMessage } from '../outbox/index.js';
import { AppError } from '../platform/http/index.js';
import { consumeToken, findUsableToken, issueToken, type TokenPurpose } from './account-tokens.js';
import { enrolledFactors, hasAnyFactor } from './mfa/factors.js';
import { checkBreaches } from './password/breached-passwords.js';
import { hashPassword } from './password/password-hash.js';
import { evaluatePassword, type PasswordVerdict } from './password/password-policy.js';
import { staffUser } from './schema.js';
import { recordSecurityEvent } from './security-events.js';
import { createStaffUser, type NewStaffUser } from './service.js';
import { revokeAllSessions } from './sessions/session-store.js';

const LINK_PATHS: Record<TokenPurpose, string> = {
  invitation: '/welcome',
  password_reset: '/reset-password/new',
};

/** Links carry the token in the fragment, which browsers never send to a server or a referrer. */
function linkFor(ctx: AppContext, purpose: TokenPurpose, token: string): string {
  return `${ctx.config.publicUrl}${LINK_PATHS[purpose]}#token=${token}`;
}

async function clinicName(ctx: AppContext): Promise<string> {
  return (await getClinicInfo(ctx.store.db))?.name ?? 'SafeConsult';
}

const invalidLink = () =>
  new AppError(
    'token_invalid',
    'This link is not valid: it may have expired or been used already.',
  );

/** An admin invites a member of staff: the account, its single-use link and the message, together. */
export async function inviteStaff(
  ctx: AppContext,
  adminId: string,
  invitee: NewStaffUser,
): Promise<string> {
  const now = ctx.now();
  const clinic = await clinicName(ctx);
  const email = invitee.email.trim().toLowerCase();
  const [existing] = await ctx.store.db
    .select({ id: staffUser.id })
    .from(staffUser)
    .where(eq(staffUser.email, email));
  if (existing) throw new AppError('conflict', 'A staff account with this e-mail address exists.');
  const userId = await ctx.store.db.transaction(async (tx) => {
    const user = await createStaffUser(tx, { ...invitee, email });
    const token = await issueToken(tx, user.id, 'invitation', now);
    await enqueueMessage(
      ctx,
      tx,
      {
        channel: 'email',
        purpose: 'staff_invitation',
        recipient: email,
        subject: `Your SafeConsult account at ${clinic}`,
        body:
          `Hello ${invitee.displayName},\n\n${clinic} has created a SafeConsult account for you. ` +
          `Open this link within 72 hours to choose your password:\n\n${linkFor(ctx, 'invitation', token)}\n\n` +
          'If you did not expect this message, ignore it.',
      },
      now,
    );
    await recordSecurityEvent(
      tx,
      { type: 'staff_invited', userId: user.id, detail: { by: adminId, role: invitee.role } },
      now,
    );
    return user.id;
  });
  ctx.outboxSignal.notify();
  return userId;
}

export interface LinkHolder {
  tokenId: string;
  userId: string;
  email: string;
  displayName: string;
  role: StaffRole;
}

/** Who a valid link belongs to; a malformed, unknown, expired or used link is one and the same error. */
export async function resolveLink(
  ctx: AppContext,
  token: string,
  purpose: TokenPurpose,
): Promise<LinkHolder> {
  const found = await findUsableToken(ctx.store.db, token, purpose, ctx.now());
  if (!found) throw invalidLink();
  const [user] = await ctx.store.db.select().from(staffUser).where(eq(staffUser.id, found.userId));
  if (!user || user.disabledAt) throw invalidLink();
  return {
    tokenId: found.id,
    userId: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role as StaffRole,
  };
}

/**
 * The policy's verdict on a password for the link's holder, as the strength meter shows it; with
 * HIBP_CHECK, a password the policy accepts is also looked up among breached ones.
 */
export async function checkPasswordForLink(
  ctx: AppContext,
  holder: LinkHolder,
  purpose: TokenPurpose,
  password: string,
): Promise<PasswordVerdict> {
  // A reset keeps an enrolled second factor; an invitation starts with the password alone.
  const hasMfa =
    purpose === 'password_reset' &&
    hasAnyFactor(await enrolledFactors(ctx.store.db, holder.userId));
  const verdict = evaluatePassword(
    password,
    {
      clinicName: await clinicName(ctx),
      displayName: holder.displayName,
      email: holder.email,
      hasMfa,
    },
    passwordPolicyOf(await currentSecurityPolicy(ctx.store)),
  );
  const online = ctx.config.breachedPasswords;
  return online
    ? checkBreaches(verdict, password, { apiUrl: online.apiUrl, log: ctx.log })
    : verdict;
}

/**
 * Sets the password a link was sent for: the link is used up, a lock is lifted, and (after a reset)
 * every existing session ends, since whoever held the old password may hold one.
 */
export async function setPasswordWithLink(
  ctx: AppContext,
  token: string,
  purpose: TokenPurpose,
  password: string,
): Promise<LinkHolder> {
  const holder = await resolveLink(ctx, token, purpose);
  const verdict = await checkPasswordForLink(ctx, holder, purpose, password);
  if (!verdict.acceptable) {
    throw new AppError(
      'password_rejected',
      'The password does not meet the policy; see `errors`.',
      verdict.problems.map((p) => ({ path: 'body.password', message: p.code })),
    );
  }
  const now = ctx.now();
  const hash = await hashPassword(password);
  await ctx.store.db.transaction(async (tx) => {
    if (!(await consumeToken(tx, holder.tokenId, now))) throw invalidLink();
    await tx
      .update(staffUser)
      .set({
        passwordHash: hash,
        passwordChangedAt: now,
        lockedAt: null,
        failedSignIns: 0,
        lastFailedSignInAt: null,
      })
      .where(eq(staffUser.id, holder.userId));
    if (purpose === 'password_reset') await revokeAllSessions(tx, holder.userId, now);
    await recordSecurityEvent(
      tx,
      {
        type: purpose === 'invitation' ? 'invitation_accepted' : 'password_reset',
        userId: holder.userId,
      },
      now,
    );
  });
  return holder;
}

/**
 * Sends a reset link when the address has an account that can sign in. The caller answers the same
 * whether or not it did, so the form does not reveal who has an account.
 */
export async function requestPasswordReset(ctx: AppContext, email: string): Promise<void> {
  const now = ctx.now();
  const [user] = await ctx.store.db
    .select()
    .from(staffUser)
    .where(eq(staffUser.email, email.trim().toLowerCase()));
  if (!user || !user.passwordHash || user.disabledAt) return;
  const clinic = await clinicName(ctx);
  await ctx.store.db.transaction(async (tx) => {
    const token = await issueToken(tx, user.id, 'password_reset', now);
    await enqueueMessage(
      ctx,
      tx,
      {
        channel: 'email',
        purpose: 'password_reset',
        recipient: user.email,
        subject: `Reset your SafeConsult password at ${clinic}`,
        body:
          `Hello ${user.displayName},\n\nSomeone asked to reset the password of your account at ${clinic}. ` +
          `If it was you, open this link within 60 minutes:\n\n${linkFor(ctx, 'password_reset', token)}\n\n` +
          'If it was not you, ignore this message: your password stays as it is.',
      },
      now,
    );
    await recordSecurityEvent(tx, { type: 'password_reset_requested', userId: user.id }, now);
  });
  ctx.outboxSignal.notify();
}

import { and, eq, isNull, lt } from 'drizzle-orm';
import QRCode from 'qrcode';
import type { FieldProtection } from '../../platform/crypto/index.js';
import type { Queryable } from '../../platform/db/index.js';
import { recoveryCode, totpFactor } from '../schema.js';
import { hashRecoveryCode, looksLikeRecoveryCode, newRecoveryCodes } from './recovery-codes.js';
import { matchTotp, newTotpSecret, totpUri } from './totp.js';

export const secretContext = (userId: string) => `totp_factor.secret:${userId}`;

export interface TotpEnrolment {
  secret: string;
  otpauthUri: string;
  /** The otpauth address as an SVG QR code, for an <img> with a data: URL. */
  qrSvg: string;
}

export async function hasConfirmedTotp(db: Queryable, userId: string): Promise<boolean> {
  const [row] = await db.select().from(totpFactor).where(eq(totpFactor.userId, userId));
  return Boolean(row?.confirmedAt);
}

/**
 * Starts (or restarts) enrolment with a fresh secret. A confirmed authenticator is not replaced
 * here: that is a change of security settings, which needs its own re-authenticated flow.
 */
export async function startTotpEnrolment(
  db: Queryable,
  fields: FieldProtection,
  user: { id: string; email: string },
  issuer: string,
  now: Date,
): Promise<TotpEnrolment | 'already-enrolled'> {
  if (await hasConfirmedTotp(db, user.id)) return 'already-enrolled';
  const secret = newTotpSecret();
  const sealed = fields.encrypt(secret, secretContext(user.id));
  await db
    .insert(totpFactor)
    .values({ userId: user.id, secret: sealed, createdAt: now })
    .onConflictDoUpdate({
      target: totpFactor.userId,
      set: { secret: sealed, createdAt: now, lastUsedStep: 0 },
    });
  const otpauthUri = totpUri(secret, user.email, issuer);
  const qrSvg = await QRCode.toString(otpauthUri, {
    type: 'svg',
    margin: 2,
    errorCorrectionLevel: 'M',
  });
  return { secret, otpauthUri, qrSvg };
}

/**
 * Accepts a TOTP code once: the step is recorded in the same statement that checks it is newer than
 * the last one used, so two requests racing with one code cannot both pass.
 */
async function useTotpCode(
  db: Queryable,
  fields: FieldProtection,
  userId: string,
  code: string,
  now: Date,
  confirming: boolean,
): Promise<boolean> {
  const [row] = await db.select().from(totpFactor).where(eq(totpFactor.userId, userId));
  if (!row || Boolean(row.confirmedAt) === confirming) return false;
  const step = matchTotp(fields.decrypt(row.secret, secretContext(userId)), code, now);
  if (step === undefined) return false;
  const used = await db
    .update(totpFactor)
    .set({ lastUsedStep: step, ...(confirming ? { confirmedAt: now } : {}) })
    .where(and(eq(totpFactor.userId, userId), lt(totpFactor.lastUsedStep, step)))
    .returning({ userId: totpFactor.userId });
  return used.length > 0;
}

/** Confirms the authenticator with its first code and issues fresh recovery codes. */
export async function confirmTotpEnrolment(
  db: Queryable,
  fields: FieldProtection,
  userId: string,
  code: string,
  now: Date,
): Promise<string[] | undefined> {
  if (!(await useTotpCode(db, fields, userId, code.trim(), now, true))) return undefined;
  return issueRecoveryCodes(db, userId, now);
}

/** A fresh set of recovery codes, replacing any earlier set; shown to the person once. */
export async function issueRecoveryCodes(
  db: Queryable,
  userId: string,
  now: Date,
): Promise<string[]> {
  const codes = newRecoveryCodes();
  await db.delete(recoveryCode).where(eq(recoveryCode.userId, userId));
  await db
    .insert(recoveryCode)
    .values(codes.map((c) => ({ userId, codeHash: hashRecoveryCode(c), createdAt: now })));
  return codes;
}

export const isTotpCode = (code: string) => /^\d{6}$/.test(code.trim());

export type SecondFactorUsed = 'totp' | 'recovery-code';

/** Checks a second factor at sign-in: a current TOTP code, or an unused recovery code. */
export async function verifySecondFactor(
  db: Queryable,
  fields: FieldProtection,
  userId: string,
  code: string,
  now: Date,
): Promise<SecondFactorUsed | undefined> {
  const entered = code.trim();
  if (isTotpCode(entered)) {
    return (await useTotpCode(db, fields, userId, entered, now, false)) ? 'totp' : undefined;
  }
  if (!looksLikeRecoveryCode(entered)) return undefined;
  const used = await db
    .update(recoveryCode)
    .set({ usedAt: now })
    .where(
      and(
        eq(recoveryCode.userId, userId),
        eq(recoveryCode.codeHash, hashRecoveryCode(entered)),
        isNull(recoveryCode.usedAt),
      ),
    )
    .returning({ id: recoveryCode.id });
  return used.length > 0 ? 'recovery-code' : undefined;
}

import type { MfaRequirement } from '@safeconsult/protocol';
import type { Queryable } from '../../platform/db/index.js';
import { countPasskeys } from '../passkeys/passkey-service.js';
import type { SessionStage } from '../sessions/session-store.js';
import { hasConfirmedTotp } from './mfa-service.js';

export interface EnrolledFactors {
  totp: boolean;
  passkeys: number;
}

export type SecondFactorMethod = 'totp' | 'passkey' | 'recovery_code';
export type EnrolableFactor = 'totp' | 'passkey';

export async function enrolledFactors(db: Queryable, userId: string): Promise<EnrolledFactors> {
  const [totp, passkeys] = await Promise.all([
    hasConfirmedTotp(db, userId),
    countPasskeys(db, userId),
  ]);
  return { totp, passkeys };
}

export const hasAnyFactor = (factors: EnrolledFactors) => factors.totp || factors.passkeys > 0;

/**
 * What may complete a sign-in for this role. Where the policy asks for phishing resistance an
 * authenticator code is not enough once a passkey exists (a fake site can relay a code; a passkey
 * is bound to our address); before that, the code only leads on to enrolling a passkey. Recovery
 * codes stay usable as the way back after a lost device; their use is recorded.
 */
export function acceptedSecondFactors(
  requirement: MfaRequirement,
  factors: EnrolledFactors,
): SecondFactorMethod[] {
  if (!hasAnyFactor(factors)) return [];
  const methods: SecondFactorMethod[] = [];
  if (factors.totp && !(requirement === 'phishing_resistant' && factors.passkeys > 0)) {
    methods.push('totp');
  }
  if (factors.passkeys > 0) methods.push('passkey');
  methods.push('recovery_code');
  return methods;
}

/** Which factors the person may set up now to satisfy the policy. */
export function enrolableFactors(
  requirement: MfaRequirement,
  factors: EnrolledFactors,
): EnrolableFactor[] {
  if (requirement === 'phishing_resistant' || factors.totp) return ['passkey'];
  return ['totp', 'passkey'];
}

/**
 * What a password alone unlocks: a second-factor step where one is enrolled (so that nobody holding
 * only the password can add a factor of their own), enrolment where the policy requires one, or all.
 */
export function stageAfterPassword(
  requirement: MfaRequirement,
  factors: EnrolledFactors,
): SessionStage {
  if (hasAnyFactor(factors)) return 'mfa_pending';
  return requirement === 'optional' ? 'full' : 'mfa_enrolment';
}

/** After a second factor: everything, unless the policy still wants a passkey enrolled. */
export function stageAfterSecondFactor(
  requirement: MfaRequirement,
  factors: EnrolledFactors,
): SessionStage {
  return requirement === 'phishing_resistant' && factors.passkeys === 0 ? 'mfa_enrolment' : 'full';
}

import { describe, expect, it } from 'vitest';
import {
  acceptedSecondFactors,
  enrolableFactors,
  stageAfterPassword,
  stageAfterSecondFactor,
} from './factors.js';

const none = { totp: false, passkeys: 0 };
const app = { totp: true, passkeys: 0 };
const key = { totp: false, passkeys: 1 };
const both = { totp: true, passkeys: 2 };

describe('second factors under the policy', () => {
  it('lets an optional role without factors in on its password', () => {
    expect(stageAfterPassword('optional', none)).toBe('full');
    expect(stageAfterPassword('required', none)).toBe('mfa_enrolment');
    expect(stageAfterPassword('phishing_resistant', none)).toBe('mfa_enrolment');
  });

  it('asks for an enrolled factor whatever the role, so a password alone cannot add one', () => {
    for (const requirement of ['optional', 'required', 'phishing_resistant'] as const) {
      expect(stageAfterPassword(requirement, app)).toBe('mfa_pending');
      expect(stageAfterPassword(requirement, key)).toBe('mfa_pending');
    }
  });

  it('accepts app codes only where phishing resistance is not asked for', () => {
    expect(acceptedSecondFactors('required', both)).toEqual(['totp', 'passkey', 'recovery_code']);
    expect(acceptedSecondFactors('phishing_resistant', both)).toEqual(['passkey', 'recovery_code']);
    expect(acceptedSecondFactors('required', none)).toEqual([]);
  });

  it('takes a phishing-resistant role from an app code on to enrolling a passkey', () => {
    expect(acceptedSecondFactors('phishing_resistant', app)).toEqual(['totp', 'recovery_code']);
    expect(stageAfterSecondFactor('phishing_resistant', app)).toBe('mfa_enrolment');
    expect(enrolableFactors('phishing_resistant', app)).toEqual(['passkey']);
    expect(stageAfterSecondFactor('phishing_resistant', key)).toBe('full');
    expect(stageAfterSecondFactor('required', app)).toBe('full');
  });

  it('offers an authenticator app only to someone without one', () => {
    expect(enrolableFactors('required', none)).toEqual(['totp', 'passkey']);
    expect(enrolableFactors('required', app)).toEqual(['passkey']);
  });
});

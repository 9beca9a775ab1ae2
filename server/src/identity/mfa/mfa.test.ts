import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { hashRecoveryCode, looksLikeRecoveryCode, newRecoveryCodes } from './recovery-codes.js';
import { authenticatorCode as totpCode } from '../../test-support/totp.js';
import { matchTotp, newTotpSecret, stepAt, totpUri } from './totp.js';

describe('TOTP (RFC 6238)', () => {
  it('computes the RFC 6238 appendix B vectors for SHA-1', () => {
    // The library we rely on, configured as the RFC's test: 8 digits, seed "12345678901234567890".
    const rfc = new TOTP({
      secret: Secret.fromLatin1('12345678901234567890'),
      digits: 8,
      algorithm: 'SHA1',
      period: 30,
    });
    const vectors: [number, string][] = [
      [59, '94287082'],
      [1111111109, '07081804'],
      [1111111111, '14050471'],
      [1234567890, '89005924'],
      [2000000000, '69279037'],
      [20000000000, '65353130'],
    ];
    for (const [seconds, code] of vectors)
      expect(rfc.generate({ timestamp: seconds * 1000 })).toBe(code);
  });

  it('accepts the code of the current step and of one step either side, nothing further', () => {
    const secret = newTotpSecret();
    const now = new Date('2026-11-25T09:00:15Z');
    const step = stepAt(now);
    expect(matchTotp(secret, totpCode(secret, now), now)).toBe(step);
    expect(matchTotp(secret, totpCode(secret, new Date(now.getTime() - 30_000)), now)).toBe(
      step - 1,
    );
    expect(matchTotp(secret, totpCode(secret, new Date(now.getTime() + 30_000)), now)).toBe(
      step + 1,
    );
    expect(
      matchTotp(secret, totpCode(secret, new Date(now.getTime() - 60_000)), now),
    ).toBeUndefined();
    expect(matchTotp(secret, '12345', now)).toBeUndefined();
    expect(matchTotp(secret, 'abcdef', now)).toBeUndefined();
  });

  it('builds the otpauth address authenticator apps scan', () => {
    const uri = totpUri(
      'JBSWY3DPEHPK3PXP',
      'jonas.becker@riverside.example',
      'Riverside Family Practice',
    );
    expect(uri).toMatch(
      /^otpauth:\/\/totp\/Riverside%20Family%20Practice:jonas\.becker%40riverside\.example\?/,
    );
    expect(uri).toContain('secret=JBSWY3DPEHPK3PXP');
    expect(uri).toContain('digits=6');
    expect(uri).toContain('period=30');
  });
});

describe('recovery codes', () => {
  it('are ten distinct, readable codes whose hashes ignore case and dashes', () => {
    const codes = newRecoveryCodes();
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) {
      expect(code).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
      expect(looksLikeRecoveryCode(code)).toBe(true);
      expect(hashRecoveryCode(code.toUpperCase().replaceAll('-', ''))).toBe(hashRecoveryCode(code));
    }
    expect(looksLikeRecoveryCode('123456')).toBe(false);
  });
});

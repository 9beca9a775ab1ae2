import { describe, expect, it } from 'vitest';
import { ARGON2_PARAMETERS, hashPassword, verifyPassword } from './password-hash.js';
import {
  contextWords,
  evaluatePassword,
  normalisePassword,
  type PasswordContext,
} from './password-policy.js';

const maria: PasswordContext = {
  clinicName: 'Riverside Family Practice',
  displayName: 'Dr. Maria Keller',
  email: 'maria.keller@riverside.example',
  hasMfa: false,
};
const codes = (password: string, ctx: PasswordContext = maria) =>
  evaluatePassword(password, ctx).problems.map((p) => p.code);

describe('password policy (NIST SP 800-63B rev. 4 defaults)', () => {
  it('accepts a long passphrase with no composition rules at all', () => {
    const verdict = evaluatePassword('lantern orchard tuesday mosaic', maria);
    expect(verdict.problems).toEqual([]);
    expect(verdict.acceptable).toBe(true);
    expect(verdict.strength).toBeGreaterThanOrEqual(3);
  });

  it('requires 15 characters as the only factor and 8 with MFA enrolled', () => {
    expect(evaluatePassword('kettle-violin-7', maria).problems).toEqual([]);
    expect(evaluatePassword('kettle-violin', maria).problems).toContainEqual({
      code: 'too_short',
      min: 15,
    });
    expect(evaluatePassword('qz7#kettle', { ...maria, hasMfa: true }).acceptable).toBe(true);
    expect(evaluatePassword('qz7#ket', { ...maria, hasMfa: true }).problems).toContainEqual({
      code: 'too_short',
      min: 8,
    });
  });

  it('counts characters as Unicode code points and accepts any printable character and spaces', () => {
    expect(codes('😀😀😀😀😀😀😀😀 Grüße, 東京タワー')).toEqual([]);
    // 15 emoji are 30 UTF-16 units but 15 characters: long enough, not more.
    expect(codes('🦊🐢🦉🐙🦋🐝🦔🐳🦜🐞🦎🐠🦩🐌🦒')).not.toContain('too_short');
    expect(codes('🦊🐢🦉🐙🦋🐝🦔🐳🦜🐞🦎🐠🦩🐌')).toContain('too_short');
  });

  it('accepts at least 64 characters, and up to 4096', () => {
    expect(codes('correct horse battery staple '.repeat(3).trim())).toEqual([]);
    expect(codes('lantern orchard tuesday mosaic '.repeat(132).slice(0, 4096))).not.toContain(
      'too_long',
    );
    expect(codes('x'.repeat(4097))).toContain('too_long');
  });

  it('refuses control characters', () => {
    expect(codes('lantern orchard\u0000 tuesday')).toContain('not_printable');
    expect(codes('lantern orchard\u0007 tuesday')).toContain('not_printable');
  });

  it('normalises with NFKC before checking and hashing', () => {
    expect(normalisePassword('ﬁsh')).toBe('fish');
    expect(normalisePassword('Å')).toBe(normalisePassword('Å'));
  });

  it('refuses common and breached passwords whatever their case', () => {
    expect(codes('passwordpassword')).toContain('common');
    expect(codes('PasswordPassword')).toContain('common');
    expect(codes('1QAZ2wsx3edc4rfv')).toContain('common');
    expect(codes('1234567890123456789')).toContain('predictable');
  });

  it("refuses passwords built from the clinic's or the user's own names", () => {
    expect(contextWords(maria)).toEqual(
      expect.arrayContaining([
        'riverside',
        'family',
        'practice',
        'maria',
        'keller',
        'maria.keller',
      ]),
    );
    expect(evaluatePassword('RiversidePractice2026', maria).problems).toContainEqual({
      code: 'context',
      word: 'riverside',
    });
    expect(codes('maria.keller!2026!!')).toContain('context');
    // A context word inside a long enough passphrase is fine: the rest carries the strength.
    expect(codes('riverside lantern orchard tuesday')).toEqual([]);
  });

  it('refuses repetitive and sequential passwords', () => {
    expect(codes('aaaaaaaaaaaaaaaaaaaa')).toContain('predictable');
    expect(codes('abcdefghijklmnopqrs')).toContain('predictable');
  });
});

describe('password hashing', () => {
  it('uses Argon2id at no less than OWASP parameters and verifies the normalised password', async () => {
    const stored = await hashPassword('ﬁsh and chips tonight');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(ARGON2_PARAMETERS.memoryCost).toBeGreaterThanOrEqual(19_456);
    expect(await verifyPassword(stored, 'fish and chips tonight')).toEqual({
      matches: true,
      needsRehash: false,
    });
    expect((await verifyPassword(stored, 'fish and chips tomorrow')).matches).toBe(false);
  });

  it('asks for a re-hash when a stored hash is weaker than the current parameters', async () => {
    const weak = await hashPassword('lantern orchard tuesday', {
      memoryCost: 8192,
      timeCost: 1,
      parallelism: 1,
    });
    expect(await verifyPassword(weak, 'lantern orchard tuesday')).toEqual({
      matches: true,
      needsRehash: true,
    });
  });

  it('never matches a malformed stored hash', async () => {
    expect(await verifyPassword('not a hash', 'x')).toEqual({ matches: false, needsRehash: true });
  });
});

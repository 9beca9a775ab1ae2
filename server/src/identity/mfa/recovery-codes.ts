import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'; // no 0/o, 1/l/i: codes are typed from paper
export const RECOVERY_CODE_COUNT = 10;

/** Ten one-time codes of 12 characters (about 59 bits each), shown once, stored only hashed. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const bytes = randomBytes(12);
    const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join('');
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
  });
}

/** Codes are high-entropy random, so a plain SHA-256 is enough; no slow hash is needed. */
export function hashRecoveryCode(code: string): string {
  const canonical = code.toLowerCase().replace(/[^a-z0-9]/g, '');
  return createHash('sha256').update(canonical).digest('base64url');
}

export function looksLikeRecoveryCode(code: string): boolean {
  return /^[a-z0-9]{4}-?[a-z0-9]{4}-?[a-z0-9]{4}$/i.test(code.trim());
}

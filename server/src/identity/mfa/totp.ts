import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

/** RFC 6238 as authenticator apps expect it: SHA-1, 6 digits, 30-second steps. */
const PERIOD_SECONDS = 30;
const DIGITS = 6;
/** Codes from one step before or after are accepted, for clocks that drift a little. */
const WINDOW = 1;

export function newTotpSecret(): string {
  return new Secret({ buffer: randomBytes(20).buffer }).base32;
}

function totp(secretBase32: string, label = 'SafeConsult', issuer = 'SafeConsult'): TOTP {
  return new TOTP({
    issuer,
    label,
    secret: Secret.fromBase32(secretBase32),
    algorithm: 'SHA1',
    digits: DIGITS,
    period: PERIOD_SECONDS,
  });
}

/** The otpauth:// address an authenticator app reads from the QR code. */
export function totpUri(secretBase32: string, accountName: string, issuer: string): string {
  return totp(secretBase32, accountName, issuer).toString();
}

export function stepAt(now: Date): number {
  return Math.floor(now.getTime() / 1000 / PERIOD_SECONDS);
}

/**
 * The time step a code belongs to, when it is valid within ±1 step of `now`; otherwise undefined.
 * Callers refuse a step at or before the last one used, so a code never works twice.
 */
export function matchTotp(secretBase32: string, code: string, now: Date): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const delta = totp(secretBase32).validate({
    token: code,
    timestamp: now.getTime(),
    window: WINDOW,
  });
  return delta === null ? undefined : stepAt(now) + delta;
}

import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { normalisePassword } from './password-policy.js';

/**
 * Argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane). Raising these makes new and
 * upgraded hashes stronger; existing hashes are re-hashed at their owner's next sign-in.
 */
export interface Argon2Parameters {
  /** KiB of memory. */
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export const ARGON2_PARAMETERS: Readonly<Argon2Parameters> = {
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

/** `Algorithm.Argon2id`; the package's enum is a const enum, which isolated modules cannot read. */
const ARGON2ID = 2 as Algorithm.Argon2id;

export async function hashPassword(
  password: string,
  parameters: Argon2Parameters = ARGON2_PARAMETERS,
): Promise<string> {
  return hash(normalisePassword(password), { ...parameters, algorithm: ARGON2ID });
}

/** Parameters a stored hash was made with, read from its PHC string. */
function parametersOf(stored: string): { m: number; t: number; p: number } | undefined {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(stored);
  if (!match) return undefined;
  return { m: Number(match[1]), t: Number(match[2]), p: Number(match[3]) };
}

export interface PasswordCheck {
  matches: boolean;
  /** The hash is weaker than today's parameters (or another algorithm): store a new one. */
  needsRehash: boolean;
}

export async function verifyPassword(stored: string, password: string): Promise<PasswordCheck> {
  // A malformed stored hash never matches.
  const matches = await verify(stored, normalisePassword(password)).catch(() => false);
  const used = parametersOf(stored);
  const needsRehash =
    !used ||
    used.m < ARGON2_PARAMETERS.memoryCost ||
    used.t < ARGON2_PARAMETERS.timeCost ||
    used.p < ARGON2_PARAMETERS.parallelism;
  return { matches, needsRehash };
}

let decoy: Promise<string> | undefined;

/**
 * Spends the time of one verification when there is no account to check, so the answer time does
 * not tell whether an e-mail address has an account.
 */
export async function verifyAgainstDecoy(password: string): Promise<void> {
  decoy ??= hashPassword('decoy password that matches nothing');
  await verifyPassword(await decoy, password);
}

import { dictionary as commonDictionary, adjacencyGraphs } from '@zxcvbn-ts/language-common';
import { dictionary as englishDictionary } from '@zxcvbn-ts/language-en';
import { dictionary as germanDictionary } from '@zxcvbn-ts/language-de';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';

/**
 * The organisation's password rules, after NIST SP 800-63B rev. 4: length and a blocklist, no
 * composition rules, no forced rotation.
 */
export interface PasswordPolicy {
  /** Where the password is the only factor. */
  minLengthSingleFactor: number;
  /** Where the account has a second factor enrolled. */
  minLengthWithMfa: number;
  /** Longest accepted; NIST requires at least 64. */
  maxLength: number;
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  minLengthSingleFactor: 15,
  minLengthWithMfa: 8,
  maxLength: 4096,
};

/** Words that belong to this account and this clinic, which an attacker would try first. */
export interface PasswordContext {
  clinicName: string;
  displayName: string;
  email: string;
  hasMfa: boolean;
}

export type PasswordProblem =
  | { code: 'too_short'; min: number }
  | { code: 'too_long'; max: number }
  | { code: 'not_printable' }
  | { code: 'common' }
  | { code: 'context'; word: string }
  | { code: 'predictable' }
  /** Found among breached passwords by the optional online check (`checkBreaches`). */
  | { code: 'breached' };

export interface PasswordVerdict {
  acceptable: boolean;
  problems: PasswordProblem[];
  /** 0 (guessed at once) to 4 (very hard to guess), for the strength meter. */
  strength: 0 | 1 | 2 | 3 | 4;
}

/** NFKC first, so that the same password typed on another keyboard or OS hashes the same. */
export function normalisePassword(password: string): string {
  return password.normalize('NFKC');
}

let factory: ZxcvbnFactory | undefined;
let blocklist: Set<string> | undefined;

/** Built on first use: ranking the dictionaries takes a moment and some memory. */
function estimator(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    dictionary: { ...commonDictionary, ...englishDictionary, ...germanDictionary },
    graphs: adjacencyGraphs,
    maxLength: 256,
  });
  return factory;
}

/** Common and breached passwords shipped with zxcvbn-ts (about 50,000), compared without case. */
function commonPasswords(): Set<string> {
  blocklist ??= new Set(commonDictionary['passwords-common'].map((p) => String(p).toLowerCase()));
  return blocklist;
}

// Control characters (C0, DEL, C1) and unpaired surrogates are not printable; spaces are allowed.
const UNPRINTABLE = /\p{Cc}|\p{Cs}/u;

export function contextWords(context: Omit<PasswordContext, 'hasMfa'>): string[] {
  const [local = '', domain = ''] = context.email.toLowerCase().split('@');
  const words = [
    ...context.clinicName.split(/[^\p{L}\p{N}]+/u),
    ...context.displayName.split(/[^\p{L}\p{N}]+/u),
    local,
    ...local.split(/[^\p{L}\p{N}]+/u),
    ...domain.split('.').slice(0, -1),
  ];
  return [...new Set(words.map((w) => w.toLowerCase()).filter((w) => [...w].length >= 4))];
}

export function evaluatePassword(
  raw: string,
  context: PasswordContext,
  policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY,
): PasswordVerdict {
  const password = normalisePassword(raw);
  const length = [...password].length; // code points, as NIST counts characters
  const problems: PasswordProblem[] = [];
  const min = context.hasMfa ? policy.minLengthWithMfa : policy.minLengthSingleFactor;
  if (length < min) problems.push({ code: 'too_short', min });
  if (length > policy.maxLength) problems.push({ code: 'too_long', max: policy.maxLength });
  if (UNPRINTABLE.test(password)) problems.push({ code: 'not_printable' });
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower)) problems.push({ code: 'common' });

  const words = contextWords(context);
  let remainder = lower;
  for (const word of words) remainder = remainder.split(word).join('');
  const used = words.find((w) => lower.includes(w));
  if (used && [...remainder].length < min) problems.push({ code: 'context', word: used });

  const result = estimator().check(password.slice(0, 256), words);
  const strength = result.score;
  if (strength <= 1 && !problems.some((p) => p.code === 'common' || p.code === 'context')) {
    problems.push({ code: 'predictable' });
  }
  return { acceptable: problems.length === 0, problems, strength };
}

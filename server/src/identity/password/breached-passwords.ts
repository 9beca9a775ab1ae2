import { createHash } from 'node:crypto';
import type { Logger } from '../../platform/log/index.js';
import { normalisePassword, type PasswordVerdict } from './password-policy.js';

/** The person is waiting for the verdict, and an unanswered check is skipped anyway. */
export const BREACH_CHECK_TIMEOUT_MS = 3_000;

/**
 * The upper-case SHA-1 of the normalised password, split as the range API (k-anonymity) wants it:
 * only the 5-character prefix is sent; the suffix is looked for in the answer.
 */
export function rangeKey(password: string): { prefix: string; suffix: string } {
  const hash = createHash('sha1')
    .update(normalisePassword(password), 'utf8')
    .digest('hex')
    .toUpperCase();
  return { prefix: hash.slice(0, 5), suffix: hash.slice(5) };
}

/**
 * How often `suffix` occurs in a range answer (`SUFFIX:COUNT` lines). Padding lines, which hide
 * the answer's true size, carry a count of 0 and count as absent.
 */
export function breachCount(rangeBody: string, suffix: string): number {
  const wanted = suffix.toUpperCase();
  for (const line of rangeBody.split('\n')) {
    const [candidate = '', count = ''] = line.trim().split(':');
    const n = Number.parseInt(count, 10);
    if (candidate.toUpperCase() === wanted && n > 0) return n;
  }
  return 0;
}

export type BreachLookup =
  { kind: 'checked'; count: number } | { kind: 'unavailable'; why: string };

export async function lookUpBreaches(
  password: string,
  apiUrl: string,
  timeoutMs = BREACH_CHECK_TIMEOUT_MS,
): Promise<BreachLookup> {
  const { prefix, suffix } = rangeKey(password);
  try {
    const response = await fetch(`${apiUrl}/range/${prefix}`, {
      headers: { 'Add-Padding': 'true' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) {
      await response.body?.cancel();
      return { kind: 'unavailable', why: `HTTP ${response.status}` };
    }
    return { kind: 'checked', count: breachCount(await response.text(), suffix) };
  } catch (error) {
    return { kind: 'unavailable', why: unavailableBecause(error) };
  }
}

function unavailableBecause(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timeout';
  const code = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof code === 'string' ? code : 'network error';
}

/**
 * The online step after the offline policy: a password the policy accepts is refused when it has
 * appeared in breaches. When the service does not answer, the password is judged without it (fail
 * open: clinics run offline, and the offline blocklist still applied) and a warning is logged.
 */
export async function checkBreaches(
  verdict: PasswordVerdict,
  password: string,
  options: { apiUrl: string; log: Logger },
): Promise<PasswordVerdict> {
  // A password refused already needs no lookup: fewer requests leave while the person types.
  if (!verdict.acceptable) return verdict;
  const lookup = await lookUpBreaches(password, options.apiUrl);
  if (lookup.kind === 'unavailable') {
    options.log.warn(
      { why: lookup.why },
      'breached-password check unavailable: password judged without it',
    );
    return verdict;
  }
  if (lookup.count === 0) return verdict;
  // Attackers try breached passwords first, whatever their shape: the meter says so too.
  return { acceptable: false, problems: [{ code: 'breached' }], strength: 0 };
}

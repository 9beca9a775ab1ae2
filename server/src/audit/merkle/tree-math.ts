/**
 * Index arithmetic for trees of up to 2^53 − 1 leaves. Plain division rather than bit operators,
 * because JavaScript's bit operators work on 32 bits.
 */

/** Leaves [start, end) of the tree. */
export interface LeafRange {
  start: number;
  end: number;
}

export function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

export function isOdd(n: number): boolean {
  return n % 2 === 1;
}

export function half(n: number): number {
  return Math.floor(n / 2);
}

/** The largest power of two below n (n ≥ 2): the size of the left subtree in RFC 9162's split. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export function isPowerOfTwo(n: number): boolean {
  return n >= 1 && splitPoint(n + 1) === n;
}

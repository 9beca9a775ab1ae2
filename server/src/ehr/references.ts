/**
 * A resource moved between SafeConsult and the EHR with its references rewritten: `map` gives the
 * other side's reference for those it knows (the patient, the encounter); any other reference
 * points at something the other side does not have, so only its display text is kept.
 */
export function rewriteReferences<T>(value: T, map: (reference: string) => string | undefined): T {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    const object = v as Record<string, unknown>;
    if (typeof object.reference === 'string') {
      const mapped = map(object.reference);
      if (mapped) return { reference: mapped };
      return { display: typeof object.display === 'string' ? object.display : 'Not shared' };
    }
    return Object.fromEntries(Object.entries(object).map(([k, item]) => [k, walk(item)]));
  };
  return walk(value) as T;
}

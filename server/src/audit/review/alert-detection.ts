import type { AlertPattern, AlertRule } from '@safeconsult/protocol';

/** A ledger entry as the alert rules see it: who, when, which patient, how many records. */
export interface Hit {
  id: number;
  at: Date;
  actorId: string;
  patientId: string | null;
  /** Records an export carried (`detail.count`); 1 when it does not say. */
  records: number;
}

/** An alert the rules would raise; the store keeps the first per rule and dedupe key. */
export interface AlertCandidate {
  rule: AlertRule;
  actorId: string;
  dedupeKey: string;
  entryIds: number[];
  pattern: AlertPattern;
}

const MINUTE_MS = 60_000;

/** A pattern in a sliding window: `measure` of one person's entries in it reaches `threshold`. */
export interface WindowRule {
  rule: AlertRule;
  windowMs: number;
  threshold: number;
  measure: (hits: readonly Hit[]) => number;
}

/** Reads of (or refusals for) different patients without a care relationship, per day. */
export const PATIENTS_OUTSIDE_CARE: WindowRule = {
  rule: 'patients_outside_care',
  windowMs: 24 * 60 * MINUTE_MS,
  threshold: 3,
  measure: (hits) => new Set(hits.map((h) => h.patientId)).size,
};

/** Refusals of one person in a quarter of an hour: someone trying doors. */
export const REPEATED_REFUSALS: WindowRule = {
  rule: 'repeated_refusals',
  windowMs: 15 * MINUTE_MS,
  threshold: 5,
  measure: (hits) => hits.length,
};

/** Records exported by one person in a day, in one export or several. */
export const BULK_EXPORT: WindowRule = {
  rule: 'bulk_export',
  windowMs: 24 * 60 * MINUTE_MS,
  threshold: 50,
  measure: (hits) => hits.reduce((sum, h) => sum + h.records, 0),
};

/** An alert lists at most this many entries; its pattern still counts them all. */
const MAX_ALERT_ENTRIES = 200;

function candidate(
  rule: AlertRule,
  dedupeKey: string,
  hits: readonly Hit[],
  pattern: Pick<AlertPattern, 'count' | 'threshold'> & Partial<AlertPattern>,
): AlertCandidate {
  const first = hits[0]!;
  const last = hits[hits.length - 1]!;
  return {
    rule,
    actorId: first.actorId,
    dedupeKey,
    entryIds: hits.slice(0, MAX_ALERT_ENTRIES).map((h) => h.id),
    pattern: { from: first.at.toISOString(), until: last.at.toISOString(), ...pattern },
  };
}

/** Hits grouped by `key`, each group in the order given. */
function groupBy(hits: readonly Hit[], key: (hit: Hit) => string): Map<string, Hit[]> {
  const groups = new Map<string, Hit[]>();
  for (const hit of hits) {
    const group = groups.get(key(hit));
    if (group) group.push(hit);
    else groups.set(key(hit), [hit]);
  }
  return groups;
}

/**
 * Slides the rule's window over each person's entries (in time order) that no earlier alert of
 * the rule covers (`coveredUpTo`: the highest entry id of their latest alert). Where the measure
 * reaches the threshold, the entries in the window make an alert, and the next one counts afresh
 * from the entry after it. The dedupe key names the window's first entry, so a run on another
 * node, or a second run before the first is stored, finds the same alert.
 */
export function windowCandidates(
  rule: WindowRule,
  hits: readonly Hit[],
  coveredUpTo: ReadonlyMap<string, number>,
): AlertCandidate[] {
  const found: AlertCandidate[] = [];
  for (const [actorId, all] of groupBy(hits, (h) => h.actorId)) {
    const mine = all.filter((h) => h.id > (coveredUpTo.get(actorId) ?? 0));
    let start = 0;
    for (let end = 0; end < mine.length; end++) {
      const endAt = mine[end]!.at.getTime();
      while (mine[start]!.at.getTime() <= endAt - rule.windowMs) start++;
      const window = mine.slice(start, end + 1);
      const count = rule.measure(window);
      if (count < rule.threshold) continue;
      found.push(
        candidate(rule.rule, `${actorId}:${window[0]!.id}`, window, {
          count,
          threshold: rule.threshold,
          windowMinutes: rule.windowMs / MINUTE_MS,
        }),
      );
      start = end + 1;
    }
  }
  return found;
}

/** Every emergency access is an alert of its own. */
export const emergencyCandidates = (hits: readonly Hit[]): AlertCandidate[] =>
  hits.map((hit) =>
    candidate('emergency_access', `entry:${hit.id}`, [hit], {
      count: 1,
      threshold: 1,
    }),
  );

/**
 * Reads outside working time, one alert per person and stretch (an evening, a night, a weekend:
 * `stretchOf`), which gathers the stretch's later reads while it is open.
 */
export function outOfHoursCandidates(
  hits: readonly Hit[],
  stretchOf: (hit: Hit) => string,
  working: Pick<AlertPattern, 'workingHours' | 'workingDays' | 'timeZone'>,
): AlertCandidate[] {
  const stretches = groupBy(hits, (hit) => `${hit.actorId}:${stretchOf(hit)}`);
  return [...stretches].map(([key, reads]) =>
    candidate('out_of_hours_reads', key, reads, {
      count: reads.length,
      threshold: 1,
      ...working,
    }),
  );
}

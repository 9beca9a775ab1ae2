import type { ResourceRef, WhatIfResult } from '@safeconsult/protocol';

export type WhatIfOutcome = WhatIfResult['samples'][number];

export interface OutcomeGroup {
  outcome: WhatIfOutcome;
  /** How many of the replayed decisions asked exactly this. */
  count: number;
}

function resourceKey(resource: ResourceRef): string {
  const entries = Object.entries(resource).map(([k, v]): [string, unknown] => [
    k,
    Array.isArray(v) ? [...(v as string[])].sort() : v,
  ]);
  return JSON.stringify(entries.sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Recent decisions repeat (a clinician opens the same record many times a day): the same question
 * is shown once, with how often it was asked, in the order first seen. Both policy sets decide with
 * today's facts, so the same question always has the same outcome.
 */
export function groupOutcomes(outcomes: WhatIfOutcome[]): OutcomeGroup[] {
  const groups = new Map<string, OutcomeGroup>();
  for (const outcome of outcomes) {
    const { userId, action, resource } = outcome.request;
    const key = JSON.stringify([userId, action, resourceKey(resource)]);
    const group = groups.get(key);
    if (group) group.count += 1;
    else groups.set(key, { outcome, count: 1 });
  }
  return [...groups.values()];
}

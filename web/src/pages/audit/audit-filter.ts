import { instantOnWallClock } from '@safeconsult/protocol';

/**
 * The audit trail's filters as the page's address holds them, so that a link (from an alert, an
 * incident, a colleague) opens the same view. Dates are days on the clinic's clock; the patient is
 * the record's opaque id, never its number; `ids` are entry ids separated by commas.
 */
export const FILTER_NAMES = [
  'user',
  'patient',
  'category',
  'action',
  'outcome',
  'from',
  'to',
  'ids',
] as const;
export type AuditFilter = Record<(typeof FILTER_NAMES)[number], string>;

export function filterOf(params: URLSearchParams): AuditFilter {
  return Object.fromEntries(
    FILTER_NAMES.map((name) => [name, params.get(name)?.trim() ?? '']),
  ) as AuditFilter;
}

/** The filters that are set, as an address query; empty ones are left out. */
export function paramsOf(filter: Partial<AuditFilter>): URLSearchParams {
  return new URLSearchParams(
    FILTER_NAMES.flatMap((name) => (filter[name] ? [[name, filter[name]]] : [])),
  );
}

/** The audit trail page showing `filter`. */
export const auditTrailPath = (filter: Partial<AuditFilter>) => {
  const query = paramsOf(filter).toString();
  return query ? `/admin/audit?${query}` : '/admin/audit';
};

const nextDay = (date: string) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * The query of GET /api/audit/entries for `filter`: "from" is the start of its day on the clinic's
 * clock and "to" the end of its day, both as instants; `after` continues from a page.
 */
export function entriesQuery(
  filter: AuditFilter,
  timeZone: string,
  after?: string,
): URLSearchParams {
  const { from, to, ...rest } = filter;
  const query = paramsOf(rest);
  if (from) query.set('from', instantOnWallClock(from, '00:00', timeZone).toISOString());
  if (to) query.set('to', instantOnWallClock(nextDay(to), '00:00', timeZone).toISOString());
  if (after) query.set('after', after);
  return query;
}

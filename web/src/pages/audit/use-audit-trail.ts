import { useCallback, useEffect, useState } from 'react';
import { auditTrailPageSchema, type AuditTrailEntry, type Problem } from '@safeconsult/protocol';
import { api } from '../../api/http.js';
import { entriesQuery, type AuditFilter } from './audit-filter.js';

export interface AuditTrail {
  /** The entries loaded so far for the current filter; undefined until the first page arrives. */
  entries: AuditTrailEntry[] | undefined;
  problem: Problem | undefined;
  /** More, older entries pass the filter. */
  hasMore: boolean;
  loadMore: () => void;
}

interface Loaded {
  query: string;
  entries: AuditTrailEntry[];
  next: string | null;
  problem?: Problem;
}

/**
 * The entries that pass `filter`, a page at a time: the first page when the filter changes, the
 * next ones on request. An answer for an earlier filter is dropped.
 */
export function useAuditTrail(filter: AuditFilter, timeZone: string): AuditTrail {
  const query = entriesQuery(filter, timeZone).toString();
  const [loaded, setLoaded] = useState<Loaded | undefined>(undefined);

  const fetchPage = useCallback(
    async (after: string | undefined): Promise<Partial<Loaded>> => {
      const params = new URLSearchParams(query);
      if (after) params.set('after', after);
      const result = await api<unknown>(`/api/audit/entries?${params.toString()}`);
      if (!result.ok) return { problem: result.problem };
      return auditTrailPageSchema.parse(result.data);
    },
    [query],
  );

  useEffect(() => {
    let current = true;
    void fetchPage(undefined).then((page) => {
      if (current) setLoaded({ query, entries: [], next: null, ...page });
    });
    return () => {
      current = false;
    };
  }, [fetchPage, query]);

  const fresh = loaded?.query === query ? loaded : undefined;
  const loadMore = useCallback(() => {
    const after = fresh?.next;
    if (!after) return;
    void fetchPage(after).then((page) =>
      setLoaded((before) =>
        before?.query === query
          ? { ...before, ...page, entries: [...before.entries, ...(page.entries ?? [])] }
          : before,
      ),
    );
  }, [fresh?.next, fetchPage, query]);

  return {
    entries: fresh && !fresh.problem ? fresh.entries : undefined,
    problem: fresh?.problem,
    hasMore: Boolean(fresh?.next),
    loadMore,
  };
}

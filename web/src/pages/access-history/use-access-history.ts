import { useCallback, useEffect, useState } from 'react';
import { accessHistorySchema, type AccessHistory, type Problem } from '@safeconsult/protocol';
import { api } from '../../api/http.js';

export interface AccessHistoryState {
  /** The pages loaded so far, joined; undefined until the first arrives. */
  history: AccessHistory | undefined;
  problem: Problem | undefined;
  /** Loads the next (older) page, when there is one. */
  loadEarlier: (() => void) | undefined;
}

/**
 * The access history at `path` (nothing while it is null), newest days first; older days are
 * added a page at a time. A new path starts over, and a late answer for an old path is dropped.
 */
export function useAccessHistory(path: string | null): AccessHistoryState {
  const [state, setState] = useState<{
    path: string;
    history?: AccessHistory;
    problem?: Problem;
  }>();
  // The older page asked for belongs to its path: a new path starts from the newest days again.
  const [cursor, setCursor] = useState<{ path: string; before: string } | undefined>(undefined);
  const before = cursor?.path === path ? cursor.before : undefined;

  useEffect(() => {
    if (path === null) return;
    let current = true;
    const url = before ? `${path}?${new URLSearchParams({ before }).toString()}` : path;
    void api<unknown>(url).then((result) => {
      if (!current) return;
      if (!result.ok) {
        setState({ path, problem: result.problem });
        return;
      }
      const page = accessHistorySchema.parse(result.data);
      setState((previous) => ({
        path,
        history:
          before && previous?.path === path && previous.history
            ? { ...page, lines: [...previous.history.lines, ...page.lines] }
            : page,
      }));
    });
    return () => {
      current = false;
    };
  }, [path, before]);

  const fresh = state?.path === path ? state : undefined;
  const next = fresh?.history?.nextBefore ?? null;
  const loadEarlier = useCallback(() => {
    if (next && path !== null) setCursor({ path, before: next });
  }, [next, path]);
  return {
    history: fresh?.history,
    problem: fresh?.problem,
    loadEarlier: next ? loadEarlier : undefined,
  };
}

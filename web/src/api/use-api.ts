import { useCallback, useEffect, useState } from 'react';
import type { Problem } from '@safeconsult/protocol';
import { api } from './http.js';

/** What checks an answer's shape: one of the protocol's schemas. */
export interface Parser<T> {
  parse(data: unknown): T;
}

/** An answer's list under `name` (`{ staff: [...] }`), each entry checked by `item`. */
export function listIn<T>(name: string, item: { array(): Parser<T[]> }): Parser<T[]> {
  const items = item.array();
  return { parse: (data) => items.parse((data as Record<string, unknown> | null)?.[name]) };
}

export interface Loaded<T> {
  /** The answer for the current path; undefined until it arrives. */
  data: T | undefined;
  /** Why the current path gave no answer (a refusal shows as `not_found` on patient routes). */
  problem: Problem | undefined;
  /** Asks again, after a change that alters the answer. */
  reload: () => void;
}

/**
 * Reads `path` (nothing while it is null) and again whenever it changes or `reload` is called. An
 * answer for an earlier path is dropped, so a slow one cannot show one patient's data on another's
 * page.
 */
export function useApi<T>(path: string | null, schema: Parser<T>): Loaded<T> {
  const [state, setState] = useState<{ path: string; data?: T; problem?: Problem }>();
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (path === null) return;
    let current = true;
    void api<unknown>(path).then((result) => {
      if (!current) return;
      setState(
        result.ok ? { path, data: schema.parse(result.data) } : { path, problem: result.problem },
      );
    });
    return () => {
      current = false;
    };
  }, [path, schema, version]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const fresh = state?.path === path ? state : undefined;
  return { data: fresh?.data, problem: fresh?.problem, reload };
}

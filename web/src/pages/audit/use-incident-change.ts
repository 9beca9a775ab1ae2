import { useState, type ReactNode } from 'react';
import type { Problem } from '@safeconsult/protocol';
import { api, type ApiResult } from '../../api/http.js';
import { useSensitiveAction } from '../../auth/reauthentication.js';
import { useSession } from '../../auth/session-context.js';

export interface IncidentChange {
  /**
   * Sends a change of the incident (`''` for its details, `/actions`, `/close`); true when it is
   * done, and the page then loads the incident again. A refusal leaves its problem here.
   */
  send: (path: '' | '/actions' | '/close', body: object, doneKey: string) => Promise<boolean>;
  problem: Problem | undefined;
  /** What the last change did, for the status line. */
  done: string | undefined;
  /** The re-authentication prompt, when the server asks for it (closing). */
  prompt: ReactNode;
}

export function useIncidentChange(incidentId: number, onChanged: () => void): IncidentChange {
  const { session } = useSession();
  const { run, prompt } = useSensitiveAction();
  const [problem, setProblem] = useState<Problem | undefined>(undefined);
  const [done, setDone] = useState<string | undefined>(undefined);

  async function send(path: '' | '/actions' | '/close', body: object, doneKey: string) {
    let ok = false;
    const call = () =>
      api<unknown>(`/api/audit/incidents/${incidentId}${path}`, {
        method: path === '' ? 'PATCH' : 'POST',
        body,
        csrfToken: session?.csrfToken,
      });
    await run(call, (result: ApiResult<unknown>) => {
      ok = result.ok;
      if (result.ok) {
        setProblem(undefined);
        setDone(doneKey);
        onChanged();
      } else {
        setDone(undefined);
        setProblem(result.problem);
      }
    });
    return ok;
  }

  return { send, problem, done, prompt };
}

import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ConsultChatItem, Problem } from '@safeconsult/protocol';
import type { ApiResult } from '../api/http.js';
import { fetchChat, sendChatMessage, uploadChatFile } from './chat-api.js';
import { mergeChatItems } from './chat-items.js';

export interface ConsultChat {
  /** Every line so far, oldest first; undefined until the history has arrived. */
  items: ConsultChatItem[] | undefined;
  /** Why the history could not be read. */
  loadProblem: Problem | undefined;
  /** Asks for the history again after it failed. */
  reload: () => void;
  send: (text: string) => Promise<ApiResult<ConsultChatItem>>;
  share: (file: File) => Promise<ApiResult<ConsultChatItem>>;
}

/**
 * The chat of one consult: its history, read once, joined with what this browser sends and what
 * the room delivers live. Lines are kept per consult, so a late answer for another consult (the
 * panel moved to the next appointment) never shows there.
 */
export function useConsultChat(
  appointmentId: string,
  csrfToken: string,
  liveItems: readonly ConsultChatItem[],
): ConsultChat {
  const [history, setHistory] = useState<{
    appointmentId: string;
    items?: ConsultChatItem[];
    problem?: Problem;
  }>();
  const [sent, setSent] = useState<{ appointmentId: string; items: ConsultChatItem[] }>();
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let current = true;
    void fetchChat(appointmentId).then((result) => {
      if (!current) return;
      setHistory(
        result.ok
          ? { appointmentId, items: result.data }
          : { appointmentId, problem: result.problem },
      );
    });
    return () => {
      current = false;
    };
  }, [appointmentId, version]);

  const keep = useCallback(
    (result: ApiResult<ConsultChatItem>) => {
      if (result.ok) {
        const item = result.data;
        setSent((previous) => ({
          appointmentId,
          items: previous?.appointmentId === appointmentId ? [...previous.items, item] : [item],
        }));
      }
      return result;
    },
    [appointmentId],
  );
  const send = useCallback(
    async (text: string) => keep(await sendChatMessage(appointmentId, text, csrfToken)),
    [appointmentId, csrfToken, keep],
  );
  const share = useCallback(
    async (file: File) => keep(await uploadChatFile(appointmentId, file, csrfToken)),
    [appointmentId, csrfToken, keep],
  );
  const reload = useCallback(() => setVersion((v) => v + 1), []);

  const fresh = history?.appointmentId === appointmentId ? history : undefined;
  const loaded = fresh?.items;
  const ownSent = sent?.appointmentId === appointmentId ? sent.items : undefined;
  const items = useMemo(
    () => (loaded ? mergeChatItems(loaded, ownSent ?? [], liveItems) : undefined),
    [loaded, ownSent, liveItems],
  );
  return { items, loadProblem: fresh?.problem, reload, send, share };
}

import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsultChatItem } from '@safeconsult/protocol';
import { chatProblemKey } from './chat-items.js';
import { ChatComposer } from './chat-composer.js';
import { ChatLine } from './chat-line.js';
import { useConsultChat } from './use-consult-chat.js';

export interface ChatPanelProps {
  appointmentId: string;
  /** The anti-forgery token of whichever session is in the room: staff or participant. */
  csrfToken: string;
  /** This person's room participant id, to show their own lines as "You"; unknown before welcome. */
  myParticipantId: string | undefined;
  /** Chat items the room's socket delivered (`{ type: 'chat', item }`), in any order. */
  liveItems: readonly ConsultChatItem[];
}

/** The consult's chat and shared files, beside the call. */
export function ChatPanel({
  appointmentId,
  csrfToken,
  myParticipantId,
  liveItems,
}: ChatPanelProps) {
  const { t } = useTranslation();
  const id = useId();
  const { items, loadProblem, reload, send, share } = useConsultChat(
    appointmentId,
    csrfToken,
    liveItems,
  );
  const log = useRef<HTMLDivElement>(null);
  const count = items?.length ?? 0;

  // The newest line is at the bottom: keep it in view as lines arrive.
  useEffect(() => {
    const element = log.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [count]);

  return (
    <section className="chat-panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('chat.title')}</h2>
      {items === undefined &&
        (loadProblem ? (
          <div className="chat-load-failed">
            <p className="error" role="alert">
              {t(chatProblemKey(loadProblem, 'load'))}
            </p>
            <button type="button" className="button button-secondary" onClick={reload}>
              {t('chat.retry')}
            </button>
          </div>
        ) : (
          <p role="status">{t('chat.loading')}</p>
        ))}
      {/* Rendered once the history is in, so only what arrives later is announced. */}
      {items !== undefined && (
        <div
          ref={log}
          className="chat-log"
          role="log"
          aria-live="polite"
          aria-labelledby={`${id}-title`}
          // Scrollable, so it must be reachable from the keyboard.
          tabIndex={0}
        >
          {count === 0 ? (
            <p className="why">{t('chat.empty')}</p>
          ) : (
            <ol className="chat-lines">
              {items.map((item) => (
                <ChatLine
                  key={item.id}
                  item={item}
                  appointmentId={appointmentId}
                  myParticipantId={myParticipantId}
                />
              ))}
            </ol>
          )}
        </div>
      )}
      <ChatComposer send={send} share={share} />
    </section>
  );
}

import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsultChatItem } from '@safeconsult/protocol';
import { fileHref } from './chat-api.js';
import { FILE_TYPE_KEYS, formatFileSize, senderLabel } from './chat-items.js';

/** The time of day a line was sent, in the reader's language and on the reader's own clock. */
function useTimeOfDay() {
  const { i18n } = useTranslation();
  return useMemo(() => {
    const formatter = new Intl.DateTimeFormat(i18n.language, { timeStyle: 'short' });
    return (iso: string) => formatter.format(new Date(iso));
  }, [i18n.language]);
}

/**
 * One line of the chat. Text is rendered as text, never as markup; a file is offered only as a
 * download, never shown inline, so nothing a participant shares runs or renders in the others'
 * browsers.
 */
export function ChatLine({
  item,
  appointmentId,
  myParticipantId,
}: {
  item: ConsultChatItem;
  appointmentId: string;
  myParticipantId: string | undefined;
}) {
  const { t, i18n } = useTranslation();
  const timeOfDay = useTimeOfDay();
  const own = item.from.participantId === myParticipantId;
  return (
    <li className={own ? 'chat-line chat-line-own' : 'chat-line'}>
      <p className="chat-meta">
        <span className="chat-sender">{senderLabel(item.from, myParticipantId, t)}</span>{' '}
        <time dateTime={item.sentAt}>{timeOfDay(item.sentAt)}</time>
      </p>
      {item.kind === 'text' ? (
        <p className="chat-text">{item.text}</p>
      ) : (
        <p className="chat-file">
          <a href={fileHref(appointmentId, item.file.id)} download={item.file.name}>
            <span className="chat-file-name">{item.file.name}</span>{' '}
            <span className="chat-file-meta">
              ({t(FILE_TYPE_KEYS[item.file.contentType])},{' '}
              {formatFileSize(item.file.size, i18n.language)})
            </span>
          </a>
        </p>
      )}
    </li>
  );
}

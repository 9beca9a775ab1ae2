import type { TFunction } from 'i18next';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { outboxMessageSchema, type OutboxMessage } from '@safeconsult/protocol';
import { api } from '../api/http.js';
import { useDateTime } from '../clinic/use-date-time.js';
import { usePageTitle } from '../layout/use-page-title.js';

/** Where a message stands: kept here, on its way (with failed attempts), sent, or given up. */
function deliveryText(m: OutboxMessage, t: TFunction, time: (iso: string | null) => string) {
  switch (m.state) {
    case 'stored':
      return t('outbox.stored');
    case 'sent':
      return t('outbox.sent', { time: time(m.sentAt) });
    case 'pending':
      return m.attempts === 0
        ? t('outbox.pending')
        : t('outbox.retrying', {
            attempts: m.attempts,
            error: m.lastError,
            time: time(m.nextAttemptAt),
          });
    case 'failed':
      return t('outbox.failed', { attempts: m.attempts, error: m.lastError });
  }
}

/** The outbox: what the clinic has sent or is sending, as the recipients receive it. */
export function OutboxPage() {
  const { t } = useTranslation();
  const when = useDateTime();
  const [messages, setMessages] = useState<OutboxMessage[]>([]);
  usePageTitle('admin.outbox');

  useEffect(() => {
    void api<{ messages: unknown }>('/api/admin/outbox').then((result) => {
      if (result.ok) setMessages(outboxMessageSchema.array().parse(result.data.messages));
    });
  }, []);

  return (
    <div className="page">
      <h1>{t('admin.outbox')}</h1>
      <p className="lead">{t('admin.outboxText')}</p>
      {messages.length === 0 && <p className="empty-state">{t('outbox.empty')}</p>}
      {messages.map((m) => (
        <article key={m.id} className="card message">
          <h2>{m.channel === 'sms' ? t('outbox.sms') : m.subject}</h2>
          <p className="meta">
            {t('outbox.to', { recipient: m.recipient })} · {when(m.createdAt)}
          </p>
          <p className={`delivery delivery-${m.state}`}>{deliveryText(m, t, when)}</p>
          <pre>{m.body}</pre>
          {m.attachments.length > 0 && (
            <ul className="attachments" aria-label={t('outbox.attachments')}>
              {m.attachments.map((a, index) => (
                <li key={a.filename + String(index)}>
                  <a
                    href={`/api/admin/outbox/${encodeURIComponent(m.id)}/attachments/${index}`}
                    download={a.filename}
                  >
                    {t('outbox.download', {
                      name: a.filename,
                      type: a.contentType.split(';', 1)[0],
                      size: a.size,
                    })}
                  </a>
                </li>
              ))}
            </ul>
          )}
        </article>
      ))}
    </div>
  );
}

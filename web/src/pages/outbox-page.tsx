import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { outboxMessageSchema, type OutboxMessage } from '@safeconsult/protocol';
import { api } from '../api/http.js';
import { useSession } from '../auth/session-context.js';
import { usePageTitle } from '../layout/use-page-title.js';
import { SectionPage } from './section-page.js';

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
  const { t, i18n } = useTranslation();
  const { session } = useSession();
  const [messages, setMessages] = useState<OutboxMessage[]>([]);
  usePageTitle('admin.outbox');
  const canRead = session?.stage === 'full' && session.user.role === 'admin';

  useEffect(() => {
    if (!canRead) return;
    void api<{ messages: unknown }>('/api/admin/outbox').then((result) => {
      if (result.ok) setMessages(outboxMessageSchema.array().parse(result.data.messages));
    });
  }, [canRead]);

  if (!canRead) {
    return (
      <SectionPage
        titleKey="admin.outbox"
        textKey="admin.outboxText"
        signInKey="admin.signInToSee"
      />
    );
  }
  const time = (iso: string | null) =>
    iso === null
      ? ''
      : new Date(iso).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <div className="page">
      <h1>{t('admin.outbox')}</h1>
      <p className="lead">{t('admin.outboxText')}</p>
      {messages.length === 0 && <p className="empty-state">{t('outbox.empty')}</p>}
      {messages.map((m) => (
        <article key={m.id} className="card message">
          <h2>{m.subject}</h2>
          <p className="meta">
            {t('outbox.to', { recipient: m.recipient })} · {time(m.createdAt)}
          </p>
          <p className={`delivery delivery-${m.state}`}>{deliveryText(m, t, time)}</p>
          <pre>{m.body}</pre>
        </article>
      ))}
    </div>
  );
}

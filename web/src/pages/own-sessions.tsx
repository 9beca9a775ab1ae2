import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import {
  revokedSessionsSchema,
  sessionSummarySchema,
  type SessionSummary,
} from '@safeconsult/protocol';
import { api } from '../api/http.js';
import { describeDevice } from '../auth/describe-device.js';
import { useSession } from '../auth/session-context.js';
import { useDateTime } from '../clinic/use-date-time.js';
import { TableRegion } from '../layout/table-region.js';

/** What the last action did, said in the status line. */
type Outcome =
  | { kind: 'ended' }
  | { kind: 'endedOthers'; count: number }
  | { kind: 'alreadyGone' }
  | { kind: 'failed' };

/** The user's live sessions on every device, each of which they may end. */
export function OwnSessions() {
  const { t } = useTranslation();
  const { session, replaceSession } = useSession();
  const navigate = useNavigate();
  const when = useDateTime();
  const id = useId();
  const [sessions, setSessions] = useState<SessionSummary[]>([]);
  const [outcome, setOutcome] = useState<Outcome | undefined>(undefined);
  const outcomeRef = useRef<HTMLParagraphElement>(null);

  /** Bumped after each action, to load the list again. */
  const [version, setVersion] = useState(0);
  useEffect(() => {
    void api<{ sessions: unknown }>('/api/auth/sessions').then((result) => {
      if (result.ok) setSessions(sessionSummarySchema.array().parse(result.data.sessions));
    });
  }, [version]);

  // The button that was pressed may be gone with its row: focus goes to what happened instead.
  useEffect(() => {
    outcomeRef.current?.focus();
  }, [outcome]);

  function finish(next: Outcome) {
    setOutcome(next);
    setVersion((v) => v + 1);
  }

  async function end(target: SessionSummary) {
    const result = await api(`/api/auth/sessions/${encodeURIComponent(target.id)}`, {
      method: 'DELETE',
      csrfToken: session?.csrfToken,
    });
    if (result.ok && target.current) {
      replaceSession(null); // the server has ended it and cleared the cookie
      await navigate('/sign-in');
      return;
    }
    if (result.ok) finish({ kind: 'ended' });
    else finish({ kind: result.problem.code === 'not_found' ? 'alreadyGone' : 'failed' });
  }

  async function endOthers() {
    const result = await api<unknown>('/api/auth/sessions/end-others', {
      method: 'POST',
      csrfToken: session?.csrfToken,
    });
    finish(
      result.ok
        ? { kind: 'endedOthers', count: revokedSessionsSchema.parse(result.data).revoked }
        : { kind: 'failed' },
    );
  }

  function deviceName(userAgent: string | null): string {
    const { browser, system } = describeDevice(userAgent);
    if (browser && system) return t('account.browserOnSystem', { browser, system });
    return browser ?? system ?? t('account.unknownDevice');
  }

  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('account.sessionsTitle')}</h2>
      <p>{t('account.sessionsIntro')}</p>
      {outcome && (
        <p
          ref={outcomeRef}
          tabIndex={-1}
          className={outcome.kind === 'failed' ? 'error' : 'notice'}
          role={outcome.kind === 'failed' ? 'alert' : 'status'}
        >
          {outcome.kind === 'ended' && t('account.ended')}
          {outcome.kind === 'endedOthers' && t('account.endedOthers', { count: outcome.count })}
          {outcome.kind === 'alreadyGone' && t('account.alreadyGone')}
          {outcome.kind === 'failed' && t('account.failed')}
        </p>
      )}
      <TableRegion captionId={`${id}-caption`}>
        <table className="data-table">
          <caption id={`${id}-caption`}>
            {t('account.sessionsCaption', { zone: when.timeZone })}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('account.device')}</th>
              <th scope="col">{t('account.address')}</th>
              <th scope="col">{t('account.signedIn')}</th>
              <th scope="col">{t('account.lastActive')}</th>
              <th scope="col">{t('account.expires')}</th>
              <th scope="col">{t('account.action')}</th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s, i) => (
              <tr key={s.id} className={s.current ? 'row-current' : undefined}>
                <th scope="row" id={`${id}-device-${i}`}>
                  {deviceName(s.userAgent)}
                  {s.current && <span className="badge">{t('account.thisDevice')}</span>}
                </th>
                <td>{s.address ?? '—'}</td>
                <td>{when(s.createdAt)}</td>
                <td>{when(s.lastSeenAt)}</td>
                <td>{when(s.expiresAt)}</td>
                <td>
                  <button
                    type="button"
                    className="button button-secondary button-small"
                    aria-describedby={`${id}-device-${i}`}
                    onClick={() => void end(s)}
                  >
                    {t(s.current ? 'account.endThis' : 'account.end')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
      {sessions.some((s) => !s.current) && (
        <button type="button" className="button" onClick={() => void endOthers()}>
          {t('account.endOthers')}
        </button>
      )}
    </section>
  );
}

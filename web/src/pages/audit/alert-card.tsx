import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  wallClock,
  type AuditAlert,
  type AuditIncident,
  type Problem,
} from '@safeconsult/protocol';
import { api } from '../../api/http.js';
import { useSession } from '../../auth/session-context.js';
import { useDateTime } from '../../clinic/use-date-time.js';
import { ProblemMessage } from '../problem-message.js';
import { auditTrailPath } from './audit-filter.js';
import { explainAlert } from './describe-alert.js';
import { incidentPath, newIncidentPath } from './incident-paths.js';

/** Links to the alert's own entries, and to everything its person did on those days. */
function AlertLinks({ alert }: { alert: AuditAlert }) {
  const { t } = useTranslation();
  const { timeZone } = useDateTime();
  const day = (iso: string) => wallClock(new Date(iso), timeZone).date;
  return (
    <ul className="link-list">
      <li>
        <Link to={auditTrailPath({ ids: alert.entryIds.join(',') })}>
          {t('alerts.showEntries', { count: alert.entryIds.length })}
        </Link>
      </li>
      {alert.actorId && (
        <li>
          <Link
            to={auditTrailPath({
              user: alert.actorId,
              from: day(alert.pattern.from),
              to: day(alert.pattern.until),
            })}
          >
            {t('alerts.showActivity', { name: alert.actorName ?? alert.actorId })}
          </Link>
        </li>
      )}
    </ul>
  );
}

interface AlertProps {
  alert: AuditAlert;
  /** The incidents an alert can be added to. */
  openIncidents: readonly AuditIncident[];
  /** After a change, with the words that say what it did. */
  onChanged: (doneKey: string) => void;
}

/** What the officer may do with an open alert: dismiss it, or take it into an incident. */
function AlertDecision({ alert, openIncidents, onChanged }: AlertProps) {
  const { t } = useTranslation();
  const { session } = useSession();
  const id = useId();
  const [problem, setProblem] = useState<Problem | undefined>(undefined);

  async function post(path: string, body: object | undefined, doneKey: string) {
    const result = await api(`/api/audit/alerts/${alert.id}/${path}`, {
      method: 'POST',
      body,
      csrfToken: session?.csrfToken,
    });
    if (result.ok) onChanged(doneKey);
    else setProblem(result.problem);
  }

  return (
    <>
      {problem && <ProblemMessage problem={problem} fallbackKey="alerts.changeFailed" />}
      <div className="actions">
        <Link className="button" to={newIncidentPath({ alerts: [alert.id] })}>
          {t('alerts.openIncident')}
        </Link>
        <button
          type="button"
          className="button button-secondary"
          onClick={() => void post('dismiss', undefined, 'alerts.dismissed')}
        >
          {t('alerts.dismiss')}
        </button>
      </div>
      {openIncidents.length > 0 && (
        <form
          className="form-row"
          onSubmit={(event) => {
            event.preventDefault();
            const incidentId = Number(new FormData(event.currentTarget).get('incident'));
            void post('escalate', { incidentId }, 'alerts.escalated');
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-incident`}>{t('alerts.addToIncident')}</label>
            <select id={`${id}-incident`} name="incident">
              {openIncidents.map((i) => (
                <option key={i.id} value={i.id}>
                  {t('incidents.numbered', { id: i.id, title: i.title })}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="button button-secondary">
            {t('alerts.add')}
          </button>
        </form>
      )}
    </>
  );
}

/** One alert: the rule in plain words, who, when, how many, and what to do about it. */
export function AlertCard({ alert, openIncidents, onChanged }: AlertProps) {
  const { t, i18n } = useTranslation();
  const when = useDateTime();
  const id = useId();
  const explained = explainAlert(alert, i18n.language);
  const open = alert.status === 'open';
  return (
    <article
      className={open ? 'card alert alert-open' : 'card alert'}
      aria-labelledby={`${id}-title`}
    >
      <h2 id={`${id}-title`}>
        {t(`alerts.rules.${alert.rule}.title`)}
        <span className={open ? 'badge badge-alert' : 'badge badge-plain'}>
          {t(`alerts.status.${alert.status}`)}
        </span>
      </h2>
      <p>{t(explained.key, explained.values)}</p>
      <dl className="facts">
        <dt>{t('alerts.who')}</dt>
        <dd>{alert.actorName ?? alert.actorId ?? '—'}</dd>
        <dt>{t('alerts.raised')}</dt>
        <dd>{when(alert.raisedAt)}</dd>
        <dt>{t('alerts.found')}</dt>
        <dd>{t(`alerts.rules.${alert.rule}.count`, { count: alert.pattern.count })}</dd>
        <dt>{t('alerts.span')}</dt>
        <dd>
          {t('alerts.between', {
            from: when(alert.pattern.from),
            until: when(alert.pattern.until),
          })}
        </dd>
        {alert.reviewedAt && (
          <>
            <dt>{t('alerts.review')}</dt>
            <dd>
              {t(`alerts.reviewedAs.${alert.status}`, {
                name: alert.reviewedByName ?? '—',
                when: when(alert.reviewedAt),
              })}
              {alert.incidentId !== null && (
                <>
                  {' '}
                  <Link to={incidentPath(alert.incidentId)}>
                    {t('incidents.numberedShort', { id: alert.incidentId })}
                  </Link>
                </>
              )}
            </dd>
          </>
        )}
      </dl>
      <AlertLinks alert={alert} />
      {open && <AlertDecision alert={alert} openIncidents={openIncidents} onChanged={onChanged} />}
    </article>
  );
}

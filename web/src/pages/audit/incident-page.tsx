import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { incidentClocks, incidentDetailSchema, type IncidentDetail } from '@safeconsult/protocol';
import { useApi } from '../../api/use-api.js';
import { useDateTime } from '../../clinic/use-date-time.js';
import { useNow } from '../../clinic/use-now.js';
import { usePageTitle } from '../../layout/use-page-title.js';
import { ProblemMessage } from '../problem-message.js';
import { auditTrailPath } from './audit-filter.js';
import { inputValue, instantOfInput } from './clock-text.js';
import { IncidentFields } from './incident-fields.js';
import { IncidentLog } from './incident-log.js';
import { INCIDENTS_PATH } from './incident-paths.js';
import { NotificationRecord } from './incident-notifications.js';
import { NotificationClock } from './notification-clock.js';
import { useIncidentChange, type IncidentChange } from './use-incident-change.js';
import { formText } from './form-text.js';

/** Title, awareness and scope, changed while the incident is open. */
function DetailsForm({ incident, change }: { incident: IncidentDetail; change: IncidentChange }) {
  const { t } = useTranslation();
  const { timeZone } = useDateTime();
  const id = useId();
  return (
    <details className="card">
      <summary>{t('incidents.changeDetails')}</summary>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          void change.send(
            '',
            {
              title: formText(form, 'title'),
              scope: formText(form, 'scope'),
              discoveredAt: instantOfInput(formText(form, 'discoveredAt'), timeZone),
            },
            'incidents.detailsSaved',
          );
        }}
      >
        <IncidentFields
          id={id}
          timeZone={timeZone}
          title={incident.title}
          scope={incident.scope}
          discoveredAt={inputValue(new Date(incident.discoveredAt), timeZone)}
        />
        <div className="actions">
          <button type="submit" className="button">
            {t('incidents.saveDetails')}
          </button>
        </div>
      </form>
    </details>
  );
}

/**
 * One incident: what happened and its scope, the notification clocks counting down live (GDPR
 * art. 33: 72 hours to the authority; HIPAA §164.404: 60 days to the individuals), the
 * notifications recorded, the actions taken, and closing.
 */
export function IncidentPage() {
  const { t } = useTranslation();
  usePageTitle('incidents.title');
  const params = useParams();
  const incidentId = Number(params.incidentId);
  const when = useDateTime();
  const now = useNow(1000);
  const valid = Number.isInteger(incidentId) && incidentId > 0;
  const {
    data: incident,
    problem,
    reload,
  } = useApi(valid ? `/api/audit/incidents/${incidentId}` : null, incidentDetailSchema);
  const change = useIncidentChange(incidentId, reload);

  if (!valid || problem) {
    return (
      <div className="page stack">
        <h1>{t('incidents.title')}</h1>
        {problem ? (
          <ProblemMessage problem={problem} fallbackKey="incidents.notFound" />
        ) : (
          <p className="error" role="alert">
            {t('incidents.notFound')}
          </p>
        )}
        <Link to={INCIDENTS_PATH}>{t('incidents.back')}</Link>
      </div>
    );
  }
  if (!incident) return <div className="page" aria-busy="true" />;
  const clocks = incidentClocks(incident, now);

  return (
    <div className="page stack">
      <p>
        <Link to={INCIDENTS_PATH}>{t('incidents.back')}</Link>
      </p>
      <h1>
        {t('incidents.numbered', { id: incident.id, title: incident.title })}
        <span className={incident.status === 'open' ? 'badge badge-alert' : 'badge badge-plain'}>
          {t(`incidents.statuses.${incident.status}`)}
        </span>
      </h1>
      <p role="status" className={change.done ? 'notice' : undefined}>
        {change.done && t(change.done)}
      </p>
      {change.problem && (
        <ProblemMessage problem={change.problem} fallbackKey="incidents.changeFailed" />
      )}
      {change.prompt}
      <dl className="facts">
        <dt>{t('incidents.discoveredAt')}</dt>
        <dd>{when(incident.discoveredAt)}</dd>
        <dt>{t('incidents.openedBy')}</dt>
        <dd>
          {t('incidents.openedByWhen', {
            name: incident.openedByName ?? incident.openedBy,
            when: when(incident.openedAt),
          })}
        </dd>
        {incident.closedAt && (
          <>
            <dt>{t('incidents.closedAt')}</dt>
            <dd>{when(incident.closedAt)}</dd>
          </>
        )}
        <dt>{t('incidents.scope')}</dt>
        <dd className="note">{incident.scope || t('incidents.noScope')}</dd>
        <dt>{t('incidents.entries')}</dt>
        <dd>
          {incident.entryIds.length === 0 ? (
            t('incidents.noEntries')
          ) : (
            <Link to={auditTrailPath({ ids: incident.entryIds.join(',') })}>
              {t('incidents.showEntries', { count: incident.entryIds.length })}
            </Link>
          )}
        </dd>
        <dt>{t('incidents.alerts')}</dt>
        <dd>
          {incident.alertIds.length === 0
            ? t('incidents.noAlerts')
            : incident.alertIds.map((a) => `#${a}`).join(', ')}
        </dd>
      </dl>
      <div className="card-grid">
        {(['authority', 'individuals'] as const).map((kind) => (
          <div key={kind} className="stack">
            <NotificationClock kind={kind} clock={clocks[kind]} />
            <NotificationRecord kind={kind} incident={incident} change={change} />
          </div>
        ))}
      </div>
      {incident.status === 'open' && <DetailsForm incident={incident} change={change} />}
      <IncidentLog incident={incident} change={change} />
    </div>
  );
}

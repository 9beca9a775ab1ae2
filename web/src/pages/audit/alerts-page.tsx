import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { auditAlertSchema, auditIncidentSchema } from '@safeconsult/protocol';
import { listIn, useApi } from '../../api/use-api.js';
import { usePageTitle } from '../../layout/use-page-title.js';
import { ProblemMessage } from '../problem-message.js';
import { AlertCard } from './alert-card.js';

const ALERTS = listIn('alerts', auditAlertSchema);
const INCIDENTS = listIn('incidents', auditIncidentSchema);

/**
 * Alerts the rules raised over the audit trail: the open ones first, each explained, with the way
 * to its entries, and the choice to dismiss it or take it into an incident.
 */
export function AlertsPage() {
  const { t } = useTranslation();
  usePageTitle('alerts.title');
  const [all, setAll] = useState(false);
  const [done, setDone] = useState<string | undefined>(undefined);
  const alerts = useApi(all ? '/api/audit/alerts' : '/api/audit/alerts?status=open', ALERTS);
  const incidents = useApi('/api/audit/incidents', INCIDENTS);
  const openIncidents = incidents.data?.filter((i) => i.status === 'open') ?? [];

  return (
    <div className="page stack">
      <h1>{t('alerts.title')}</h1>
      <p className="lead">{t('alerts.text')}</p>
      <div className="field-check">
        <input
          id="alerts-all"
          type="checkbox"
          checked={all}
          onChange={(event) => setAll(event.target.checked)}
        />
        <label htmlFor="alerts-all">{t('alerts.showReviewed')}</label>
      </div>
      {alerts.problem && (
        <ProblemMessage problem={alerts.problem} fallbackKey="alerts.loadFailed" />
      )}
      <p role="status" className={done ? 'notice' : undefined}>
        {done && `${t(done)} `}
        {alerts.data &&
          (alerts.data.length === 0
            ? t(all ? 'alerts.none' : 'alerts.noneOpen')
            : t('alerts.shown', { count: alerts.data.length }))}
      </p>
      {alerts.data?.map((alert) => (
        <AlertCard
          key={alert.id}
          alert={alert}
          openIncidents={openIncidents}
          onChanged={(doneKey) => {
            setDone(doneKey);
            alerts.reload();
          }}
        />
      ))}
    </div>
  );
}

import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { auditIncidentSchema, incidentClocks } from '@safeconsult/protocol';
import { listIn, useApi } from '../../api/use-api.js';
import { useDateTime } from '../../clinic/use-date-time.js';
import { useNow } from '../../clinic/use-now.js';
import { TableRegion } from '../../layout/table-region.js';
import { usePageTitle } from '../../layout/use-page-title.js';
import { ProblemMessage } from '../problem-message.js';
import { clockWords } from './clock-text.js';
import { incidentPath, newIncidentPath } from './incident-paths.js';

const INCIDENTS = listIn('incidents', auditIncidentSchema);

/** The incident register: open incidents first, each with where its notification clocks stand. */
export function IncidentsPage() {
  const { t, i18n } = useTranslation();
  usePageTitle('incidents.title');
  const when = useDateTime();
  const now = useNow(1000);
  const { data: incidents, problem } = useApi('/api/audit/incidents', INCIDENTS);

  return (
    <div className="page stack">
      <h1>{t('incidents.title')}</h1>
      <p className="lead">{t('incidents.text')}</p>
      <p>
        <Link className="button" to={newIncidentPath()}>
          {t('incidents.open')}
        </Link>
      </p>
      {problem && <ProblemMessage problem={problem} fallbackKey="incidents.loadFailed" />}
      {incidents && incidents.length === 0 && <p role="status">{t('incidents.none')}</p>}
      {incidents && incidents.length > 0 && (
        <TableRegion captionId="incidents-caption">
          <table className="data-table">
            <caption id="incidents-caption">
              {t('incidents.caption', { zone: when.timeZone })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('incidents.incident')}</th>
                <th scope="col">{t('incidents.status')}</th>
                <th scope="col">{t('incidents.discoveredAt')}</th>
                <th scope="col">{t('incidents.clocks.authority.title')}</th>
                <th scope="col">{t('incidents.clocks.individuals.title')}</th>
              </tr>
            </thead>
            <tbody>
              {incidents.map((incident) => {
                const clocks = incidentClocks(incident, now);
                return (
                  <tr key={incident.id}>
                    <td>
                      <Link to={incidentPath(incident.id)}>
                        {t('incidents.numbered', { id: incident.id, title: incident.title })}
                      </Link>
                    </td>
                    <td>{t(`incidents.statuses.${incident.status}`)}</td>
                    <td>{when(incident.discoveredAt)}</td>
                    {(['authority', 'individuals'] as const).map((kind) => {
                      const words = clockWords(clocks[kind], i18n.language);
                      return (
                        <td key={kind}>
                          {t(words.key, words.values)}
                          <br />
                          <span className="muted">
                            {t('incidents.clock.due', {
                              due: when(clocks[kind].dueAt.toISOString()),
                            })}
                          </span>
                        </td>
                      );
                    })}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableRegion>
      )}
    </div>
  );
}

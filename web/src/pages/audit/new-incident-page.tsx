import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { incidentDetailSchema, type Problem } from '@safeconsult/protocol';
import { api } from '../../api/http.js';
import { useSession } from '../../auth/session-context.js';
import { useDateTime } from '../../clinic/use-date-time.js';
import { usePageTitle } from '../../layout/use-page-title.js';
import { ProblemMessage } from '../problem-message.js';
import { instantOfInput, inputValue } from './clock-text.js';
import { IncidentFields } from './incident-fields.js';
import { incidentPath } from './incident-paths.js';
import { formText } from './form-text.js';

const idsIn = (value: string | null) =>
  (value ?? '')
    .split(',')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);

/**
 * Opens an incident: blank, or from the alerts and entries in the address. The clocks run from
 * when the clinic became aware, which the officer states (on the clinic's clock).
 */
export function NewIncidentPage() {
  const { t } = useTranslation();
  usePageTitle('incidents.open');
  const { session } = useSession();
  const navigate = useNavigate();
  const id = useId();
  const [params] = useSearchParams();
  const { timeZone } = useDateTime();
  const [problem, setProblem] = useState<Problem | undefined>(undefined);
  const [now] = useState(() => new Date());
  const alertIds = idsIn(params.get('alerts'));
  const entryIds = idsIn(params.get('entries'));

  async function open(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const result = await api<unknown>('/api/audit/incidents', {
      method: 'POST',
      body: {
        title: formText(form, 'title'),
        discoveredAt: instantOfInput(formText(form, 'discoveredAt'), timeZone),
        scope: formText(form, 'scope'),
        alertIds,
        entryIds,
      },
      csrfToken: session?.csrfToken,
    });
    if (!result.ok) return setProblem(result.problem);
    await navigate(incidentPath(incidentDetailSchema.parse(result.data).id));
  }

  return (
    <div className="page stack">
      <h1>{t('incidents.open')}</h1>
      <p className="lead">{t('incidents.openLead')}</p>
      {(alertIds.length > 0 || entryIds.length > 0) && (
        <p className="notice">
          {t('incidents.startsFrom', { alerts: alertIds.length, entries: entryIds.length })}
        </p>
      )}
      <form className="card form" onSubmit={(event) => void open(event)}>
        {problem && <ProblemMessage problem={problem} fallbackKey="incidents.openFailed" />}
        <IncidentFields id={id} timeZone={timeZone} discoveredAt={inputValue(now, timeZone)} />
        <div className="actions">
          <button type="submit" className="button">
            {t('incidents.openSubmit')}
          </button>
        </div>
      </form>
    </div>
  );
}

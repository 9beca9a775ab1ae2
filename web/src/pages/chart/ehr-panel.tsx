import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EhrImportResult, EhrWriteback, Problem } from '@safeconsult/protocol';
import { api } from '../../api/http.js';
import { ProblemMessage } from '../problem-message.js';

/**
 * The consult and the clinic's EHR: import the patient's record from it (before and during the
 * consult, beside the chart, and after it), and send the ended consult's Encounter and note to it
 * (`canSend`, once it has ended). Sending is queued on the server and retried until the EHR takes
 * it; the panel shows where it stands when asked.
 */
export function EhrPanel({
  appointmentId,
  csrfToken,
  canSend,
  onImported,
}: {
  appointmentId: string;
  csrfToken: string;
  canSend: boolean;
  /** The record changed: whoever shows it reads it again. */
  onImported?: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const base = `/api/consults/${encodeURIComponent(appointmentId)}`;
  const [busy, setBusy] = useState(false);
  const [imported, setImported] = useState<EhrImportResult>();
  const [sent, setSent] = useState<EhrWriteback>();
  const [problem, setProblem] = useState<Problem>();

  async function run<T>(path: string, method: 'GET' | 'POST', done: (data: T) => void) {
    setBusy(true);
    setProblem(undefined);
    const result = await api<T>(`${base}/${path}`, { method, csrfToken });
    setBusy(false);
    if (result.ok) done(result.data);
    else setProblem(result.problem);
  }

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('chart.ehr.title')}</h2>
      <div className="stack">
        <p>
          <button
            type="button"
            className="button"
            disabled={busy}
            onClick={() =>
              void run<EhrImportResult>('ehr-import', 'POST', (result) => {
                setImported(result);
                onImported?.();
              })
            }
          >
            {t('chart.ehr.import')}
          </button>
        </p>
        {imported && (
          <p className="notice" role="status">
            {t('chart.ehr.imported', {
              added: imported.added,
              updated: imported.updated,
              unchanged: imported.unchanged,
              skipped: imported.skipped,
            })}
          </p>
        )}
        {canSend && (
          <p>
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() => void run<EhrWriteback>('ehr-writeback', 'POST', setSent)}
            >
              {t('chart.ehr.send')}
            </button>{' '}
            {sent && (
              <button
                type="button"
                className="button button-secondary"
                disabled={busy}
                onClick={() => void run<EhrWriteback>('ehr-writeback', 'GET', setSent)}
              >
                {t('chart.ehr.refresh')}
              </button>
            )}
          </p>
        )}
        {sent && (
          <p className="notice" role="status">
            {sent.state === 'delivered'
              ? t('chart.ehr.delivered')
              : sent.lastError
                ? t('chart.ehr.retrying', { attempts: sent.attempts })
                : t('chart.ehr.queued')}
          </p>
        )}
        {problem && (
          <ProblemMessage
            problem={problem}
            fallbackKey="chart.ehr.failed"
            explanations={{ not_found: t('chart.ehr.refused') }}
          />
        )}
      </div>
    </section>
  );
}

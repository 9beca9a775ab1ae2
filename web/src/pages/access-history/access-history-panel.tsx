import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { AccessHistoryList, type Perspective } from './access-history-list.js';
import { useAccessHistory } from './use-access-history.js';

const WORDS = {
  patient: { title: 'accessHistory.title', intro: 'accessHistory.intro' },
  staff: { title: 'accessHistory.staffTitle', intro: 'accessHistory.staffIntro' },
} as const;

/**
 * Who has reached a patient's record, from the audit ledger: for the patient in their consult
 * ("who has looked at your record"), and for the security officer beside "who can reach this
 * patient" ("who did"). Older days load on request.
 */
export function AccessHistoryPanel({
  path,
  perspective,
}: {
  path: string;
  perspective: Perspective;
}) {
  const { t } = useTranslation();
  const id = useId();
  const { history, problem, loadEarlier } = useAccessHistory(path);
  const words = WORDS[perspective];
  return (
    <section className="card access-history" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t(words.title)}</h2>
      <p>{t(words.intro)}</p>
      {problem ? (
        <p className="error" role="alert">
          {t('accessHistory.loadFailed')}
        </p>
      ) : history ? (
        <AccessHistoryList history={history} perspective={perspective} />
      ) : (
        <p role="status">{t('accessHistory.loading')}</p>
      )}
      {loadEarlier && (
        <button type="button" className="button button-secondary" onClick={loadEarlier}>
          {t('accessHistory.earlier')}
        </button>
      )}
    </section>
  );
}

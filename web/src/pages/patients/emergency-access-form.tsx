import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Problem } from '@safeconsult/protocol';
import { api } from '../../api/http.js';
import { useSensitiveAction } from '../../auth/reauthentication.js';
import { useSession } from '../../auth/session-context.js';

/**
 * "Break the glass": a clinician with no care relationship opens a patient's record in an
 * emergency, after confirming who they are and writing down why.
 */
export function EmergencyAccessForm({
  patientId,
  onGranted,
}: {
  patientId: string;
  onGranted: () => void;
}) {
  const { t } = useTranslation();
  const { session } = useSession();
  const id = useId();
  const { run, prompt } = useSensitiveAction();
  const [problem, setProblem] = useState<Problem | undefined>(undefined);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const reason = new FormData(event.currentTarget).get('reason');
    await run(
      () =>
        api(`/api/patients/${encodeURIComponent(patientId)}/emergency-access`, {
          method: 'POST',
          body: { reason },
          csrfToken: session?.csrfToken,
        }),
      (result) => {
        if (result.ok) onGranted();
        else setProblem(result.problem);
      },
    );
  }

  return (
    <section className="card emergency-form" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('emergency.title')}</h2>
      <p>{t('emergency.closed')}</p>
      <ul className="checks">
        <li>{t('emergency.timeLimited')}</li>
        <li>{t('emergency.alerted')}</li>
        <li>{t('emergency.reviewed')}</li>
      </ul>
      <p>{t('emergency.onlyIf')}</p>
      {prompt}
      <form className="form" onSubmit={(event) => void submit(event)}>
        {problem && (
          <p className="error" role="alert">
            {problem.code === 'validation_failed'
              ? t('emergency.reasonTooShort')
              : (problem.detail ?? t('emergency.failed'))}
          </p>
        )}
        <div className="field">
          <label htmlFor={`${id}-reason`}>{t('emergency.reason')}</label>
          <textarea
            id={`${id}-reason`}
            name="reason"
            required
            minLength={10}
            maxLength={1000}
            rows={3}
            aria-describedby={`${id}-reason-hint`}
          />
          <p className="hint" id={`${id}-reason-hint`}>
            {t('emergency.reasonHint')}
          </p>
        </div>
        <div className="actions">
          <button type="submit" className="button button-danger">
            {t('emergency.open')}
          </button>
        </div>
      </form>
    </section>
  );
}

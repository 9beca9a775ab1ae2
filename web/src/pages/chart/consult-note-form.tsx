import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CONSULT_NOTE_MAX_CHARS, type Problem } from '@safeconsult/protocol';
import { api } from '../../api/http.js';
import { ProblemMessage } from '../problem-message.js';

/**
 * The clinician writes the consult note once the consult has ended. It is filed in the patient's
 * record; saving again files a corrected version that replaces the earlier one.
 */
export function ConsultNoteForm({
  appointmentId,
  patientId,
  csrfToken,
}: {
  appointmentId: string;
  patientId: string;
  csrfToken: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [text, setText] = useState('');
  const [saving, setSaving] = useState(false);
  const [outcome, setOutcome] = useState<'saved' | Problem | undefined>();

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (text.trim() === '') {
      setOutcome({ type: 'about:blank', title: '', status: 400, code: 'empty' });
      return;
    }
    setSaving(true);
    const result = await api(`/api/consults/${encodeURIComponent(appointmentId)}/note`, {
      method: 'POST',
      body: { patientId, text },
      csrfToken,
    });
    setSaving(false);
    setOutcome(result.ok ? 'saved' : result.problem);
  }

  const problem = outcome !== undefined && outcome !== 'saved' ? outcome : undefined;
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('chart.noteTitle')}</h2>
      <form className="form stack" noValidate onSubmit={(event) => void save(event)}>
        <div className="field">
          <label htmlFor={`${id}-text`}>{t('chart.noteLabel')}</label>
          <textarea
            id={`${id}-text`}
            className="note-input"
            rows={10}
            required
            maxLength={CONSULT_NOTE_MAX_CHARS}
            value={text}
            aria-describedby={`${id}-hint`}
            aria-invalid={problem?.code === 'empty' || undefined}
            onChange={(event) => setText(event.target.value)}
          />
          <p id={`${id}-hint`} className="hint">
            {t('chart.noteHint', { max: CONSULT_NOTE_MAX_CHARS.toLocaleString() })}
          </p>
        </div>
        {problem && (
          <ProblemMessage
            problem={problem}
            fallbackKey="chart.noteFailed"
            explanations={{
              empty: t('chart.noteEmpty'),
              conflict: t('chart.noteTooEarly'),
              not_found: t('chart.noteRefused'),
              validation_failed: t('chart.noteInvalid'),
            }}
          />
        )}
        {outcome === 'saved' && (
          <p className="notice" role="status">
            {t('chart.noteSaved')}{' '}
            <Link to={`/console/patients/${encodeURIComponent(patientId)}`}>
              {t('chart.openChart')}
            </Link>
          </p>
        )}
        <button type="submit" className="button" disabled={saving}>
          {t(
            saving
              ? 'chart.noteSaving'
              : outcome === 'saved'
                ? 'chart.noteResave'
                : 'chart.noteSave',
          )}
        </button>
      </form>
    </section>
  );
}

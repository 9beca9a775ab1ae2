import { useId, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { IncidentDetail } from '@safeconsult/protocol';
import { useDateTime } from '../../clinic/use-date-time.js';
import type { IncidentChange } from './use-incident-change.js';
import { formText } from './form-text.js';

/** A note field and its button: an action taken, or the conclusion on closing. */
function NoteForm({
  labelKey,
  submitKey,
  danger = false,
  onNote,
}: {
  labelKey: string;
  submitKey: string;
  danger?: boolean;
  onNote: (note: string) => Promise<boolean>;
}) {
  const { t } = useTranslation();
  const id = useId();
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    if (await onNote(formText(new FormData(form), 'note'))) form.reset();
  }
  return (
    <form className="form" onSubmit={(event) => void submit(event)}>
      <div className="field">
        <label htmlFor={`${id}-note`}>{t(labelKey)}</label>
        <textarea id={`${id}-note`} name="note" required minLength={3} maxLength={2000} rows={3} />
      </div>
      <div className="actions">
        <button type="submit" className={danger ? 'button button-danger' : 'button'}>
          {t(submitKey)}
        </button>
      </div>
    </form>
  );
}

/** The actions taken, in order, with the forms to add one and to close the incident. */
export function IncidentLog({
  incident,
  change,
}: {
  incident: IncidentDetail;
  change: IncidentChange;
}) {
  const { t } = useTranslation();
  const when = useDateTime();
  const id = useId();
  const open = incident.status === 'open';
  return (
    <section className="card stack" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('incidents.actions')}</h2>
      {incident.actions.length === 0 ? (
        <p>{t('incidents.noActions')}</p>
      ) : (
        <ol className="incident-actions">
          {incident.actions.map((a) => (
            <li key={a.id}>
              <p className="muted">
                <time dateTime={a.at}>{when(a.at)}</time> · {a.byName ?? a.by}
              </p>
              <p className="note">{a.note}</p>
            </li>
          ))}
        </ol>
      )}
      {open && (
        <>
          <NoteForm
            labelKey="incidents.actionField"
            submitKey="incidents.recordAction"
            onNote={(note) => change.send('/actions', { note }, 'incidents.actionRecorded')}
          />
          <h3>{t('incidents.closeTitle')}</h3>
          <p className="hint">{t('incidents.closeHint')}</p>
          <NoteForm
            labelKey="incidents.conclusionField"
            submitKey="incidents.close"
            danger
            onNote={(note) => change.send('/close', { note }, 'incidents.closed')}
          />
        </>
      )}
    </section>
  );
}

import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { COMPANION_RELATIONSHIPS, type Appointment, type Problem } from '@safeconsult/protocol';
import { api } from '../../api/http.js';
import { useSession } from '../../auth/session-context.js';
import { ProblemMessage } from '../problem-message.js';
import { inputValue, instantOfInput } from '../audit/clock-text.js';
import { formText } from '../audit/form-text.js';

type Open = 'reschedule' | 'cancel' | 'companion' | undefined;

const ACTION_LABELS = {
  reschedule: 'consults.reschedule',
  companion: 'consults.inviteCompanion',
  cancel: 'consults.cancel',
} as const;

/** Moving, cancelling and inviting a companion to one scheduled consult. */
export function ConsultActions({
  appointment,
  timeZone,
  onChanged,
}: {
  appointment: Appointment;
  timeZone: string;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const { session } = useSession();
  const id = useId();
  const [open, setOpen] = useState<Open>(undefined);
  const [problem, setProblem] = useState<Problem | undefined>(undefined);
  const [done, setDone] = useState<string | undefined>(undefined);
  const base = `/api/appointments/${encodeURIComponent(appointment.id)}`;

  async function send(path: string, body: unknown, doneKey: string) {
    const result = await api<unknown>(`${base}/${path}`, {
      method: 'POST',
      body,
      csrfToken: session?.csrfToken,
    });
    if (!result.ok) {
      setProblem(result.problem);
      return;
    }
    setProblem(undefined);
    setOpen(undefined);
    setDone(t(doneKey));
    onChanged();
  }

  function toggle(which: Open) {
    setProblem(undefined);
    setDone(undefined);
    setOpen(open === which ? undefined : which);
  }

  function reschedule(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void send(
      'reschedule',
      {
        startsAt: instantOfInput(formText(form, 'startsAt'), timeZone),
        durationMinutes: Number(formText(form, 'durationMinutes')),
      },
      'consults.rescheduled',
    );
  }

  function invite(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void send(
      'companions',
      {
        name: formText(form, 'name'),
        relationship: formText(form, 'relationship'),
        email: formText(form, 'email'),
      },
      'consults.companionInvited',
    );
  }

  return (
    <div className="consult-actions">
      <div className="button-row">
        {(['reschedule', 'companion', 'cancel'] as const).map((which) => (
          <button
            key={which}
            type="button"
            className="button button-secondary button-small"
            aria-expanded={open === which}
            aria-controls={`${id}-${which}`}
            onClick={() => toggle(which)}
          >
            {t(ACTION_LABELS[which])}
          </button>
        ))}
      </div>
      {open === 'reschedule' && (
        <form id={`${id}-reschedule`} className="form form-row" onSubmit={reschedule}>
          <div className="field">
            <label htmlFor={`${id}-start`}>{t('consults.startsAt')}</label>
            <input
              id={`${id}-start`}
              name="startsAt"
              type="datetime-local"
              required
              defaultValue={inputValue(new Date(appointment.startsAt), timeZone)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-duration`}>{t('consults.duration')}</label>
            <input
              id={`${id}-duration`}
              name="durationMinutes"
              type="number"
              min={5}
              max={240}
              required
              defaultValue={appointment.durationMinutes}
            />
          </div>
          <button type="submit" className="button">
            {t('consults.rescheduleSubmit')}
          </button>
        </form>
      )}
      {open === 'companion' && (
        <form id={`${id}-companion`} className="form form-row" onSubmit={invite}>
          <div className="field">
            <label htmlFor={`${id}-name`}>{t('consults.companionName')}</label>
            <input id={`${id}-name`} name="name" required maxLength={120} autoComplete="off" />
          </div>
          <div className="field">
            <label htmlFor={`${id}-relationship`}>{t('consults.relationship')}</label>
            <select id={`${id}-relationship`} name="relationship" required>
              {COMPANION_RELATIONSHIPS.map((r) => (
                <option key={r} value={r}>
                  {t(`consults.relationships.${r}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-email`}>{t('consults.email')}</label>
            <input
              id={`${id}-email`}
              name="email"
              type="email"
              required
              maxLength={254}
              autoComplete="off"
            />
          </div>
          <button type="submit" className="button">
            {t('consults.inviteSubmit')}
          </button>
        </form>
      )}
      {open === 'cancel' && (
        <div id={`${id}-cancel`} className="notice" role="group" aria-label={t('consults.cancel')}>
          <p>{t('consults.cancelConfirm')}</p>
          <button
            type="button"
            className="button"
            onClick={() => void send('cancel', undefined, 'consults.cancelled')}
          >
            {t('consults.cancelSubmit')}
          </button>
        </div>
      )}
      {problem && <ProblemMessage problem={problem} fallbackKey="consults.changeFailed" />}
      {done && (
        <p className="notice" role="status">
          {done}
        </p>
      )}
    </div>
  );
}

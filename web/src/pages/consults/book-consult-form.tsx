import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Problem } from '@safeconsult/protocol';
import { findPatient } from '../../api/find-patient.js';
import { api } from '../../api/http.js';
import { useStaffDirectory } from '../../api/use-staff-directory.js';
import { useSession } from '../../auth/session-context.js';
import { ProblemMessage } from '../problem-message.js';
import { instantOfInput } from '../audit/clock-text.js';
import { formText } from '../audit/form-text.js';

/**
 * Books a consult: the patient by record number (never a name search, which would list patients),
 * a clinician or nurse, the time on the clinic's clock, and a short reason that stays in the clinic.
 */
export function BookConsultForm({
  timeZone,
  onBooked,
}: {
  timeZone: string;
  onBooked: (startsAt: string) => void;
}) {
  const { t } = useTranslation();
  const { session } = useSession();
  const { staff } = useStaffDirectory();
  const id = useId();
  const [problem, setProblem] = useState<Problem | undefined>(undefined);
  const [notFound, setNotFound] = useState(false);
  const [booked, setBooked] = useState(false);
  const consulting = staff.filter((s) => s.role === 'clinician' || s.role === 'nurse');

  async function book(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setProblem(undefined);
    setNotFound(false);
    setBooked(false);
    const found = await findPatient(formText(form, 'mrn'), session?.csrfToken);
    if (!found.ok) {
      if (found.problem.code === 'not_found') setNotFound(true);
      else setProblem(found.problem);
      return;
    }
    const reason = formText(form, 'reason').trim();
    const startsAt = instantOfInput(formText(form, 'startsAt'), timeZone);
    const result = await api<unknown>('/api/appointments', {
      method: 'POST',
      csrfToken: session?.csrfToken,
      body: {
        patientId: found.data.patientId,
        clinicianId: formText(form, 'clinicianId'),
        startsAt,
        durationMinutes: Number(formText(form, 'durationMinutes')),
        ...(reason ? { reason } : {}),
      },
    });
    if (!result.ok) {
      setProblem(result.problem);
      return;
    }
    formElement.reset();
    setBooked(true);
    onBooked(startsAt);
  }

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('consults.bookTitle')}</h2>
      <form className="form" onSubmit={(event) => void book(event)}>
        <div className="form-row">
          <div className="field">
            <label htmlFor={`${id}-mrn`}>{t('consults.mrn')}</label>
            <input
              id={`${id}-mrn`}
              name="mrn"
              required
              maxLength={64}
              autoComplete="off"
              spellCheck={false}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-clinician`}>{t('consults.clinician')}</label>
            <select
              id={`${id}-clinician`}
              name="clinicianId"
              required
              defaultValue={session?.user.id}
              key={consulting.length}
            >
              {consulting.map((c) => (
                <option key={c.userId} value={c.userId}>
                  {c.displayName}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="form-row">
          <div className="field">
            <label htmlFor={`${id}-start`}>{t('consults.startsAt')}</label>
            <input id={`${id}-start`} name="startsAt" type="datetime-local" required />
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
              defaultValue={20}
            />
          </div>
        </div>
        <div className="field">
          <label htmlFor={`${id}-reason`}>{t('consults.reason')}</label>
          <input
            id={`${id}-reason`}
            name="reason"
            maxLength={200}
            aria-describedby={`${id}-reason-hint`}
          />
          <p id={`${id}-reason-hint`} className="hint">
            {t('consults.reasonHint')}
          </p>
        </div>
        <button type="submit" className="button">
          {t('consults.bookSubmit')}
        </button>
      </form>
      {notFound && (
        <p className="error" role="alert">
          {t('consults.patientNotFound')}
        </p>
      )}
      {problem && <ProblemMessage problem={problem} fallbackKey="consults.bookFailed" />}
      {booked && (
        <p className="notice" role="status">
          {t('consults.booked')}
        </p>
      )}
    </section>
  );
}

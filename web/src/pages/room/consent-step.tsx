import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

const POINTS = [
  'room.consentDirect',
  'room.consentRecording',
  'room.consentStored',
  'room.consentAdmit',
];

/** How the consult is protected, in plain words, and the person's agreement before going on. */
export function ConsentStep({ onAgreed }: { onAgreed: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [agreed, setAgreed] = useState(false);
  const [missing, setMissing] = useState(false);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (agreed) onAgreed();
    else setMissing(true);
  }
  return (
    <section className="card card-protection" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('room.consentTitle')}</h2>
      <ul className="checks">
        {POINTS.map((key) => (
          <li key={key}>{t(key)}</li>
        ))}
      </ul>
      <form className="form" onSubmit={submit} noValidate>
        <div className="field field-inline">
          <input
            id={`${id}-agree`}
            type="checkbox"
            required
            checked={agreed}
            aria-invalid={missing && !agreed}
            aria-describedby={missing && !agreed ? `${id}-missing` : undefined}
            onChange={(event) => setAgreed(event.target.checked)}
          />
          <label htmlFor={`${id}-agree`}>{t('room.consentAgree')}</label>
        </div>
        {missing && !agreed && (
          <p className="error" role="alert" id={`${id}-missing`}>
            {t('room.consentMissing')}
          </p>
        )}
        <button type="submit" className="button">
          {t('room.consentContinue')}
        </button>
      </form>
    </section>
  );
}

import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { findPatient } from '../../api/find-patient.js';
import { useSession } from '../../auth/session-context.js';
import { EmergencyAccessForm } from './emergency-access-form.js';

export const patientPagePath = (patientId: string) =>
  `/console/patients/${encodeURIComponent(patientId)}`;

type Outcome = { kind: 'notFound' } | { kind: 'failed' } | { kind: 'closed'; patientId: string };

/**
 * Finds a patient by record number. An open record is shown at once; a closed one says why, and
 * offers a clinician emergency access.
 */
export function PatientLookup() {
  const { t } = useTranslation();
  const { session } = useSession();
  const navigate = useNavigate();
  const id = useId();
  const [outcome, setOutcome] = useState<Outcome | undefined>(undefined);

  async function lookUp(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const mrn = new FormData(event.currentTarget).get('mrn');
    const result = await findPatient(typeof mrn === 'string' ? mrn : '', session?.csrfToken);
    if (result.ok && result.data.reachable) await navigate(patientPagePath(result.data.patientId));
    else if (result.ok) setOutcome({ kind: 'closed', patientId: result.data.patientId });
    else setOutcome({ kind: result.problem.code === 'not_found' ? 'notFound' : 'failed' });
  }

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('patients.findTitle')}</h2>
      <form className="form form-row" onSubmit={(event) => void lookUp(event)}>
        <div className="field">
          <label htmlFor={`${id}-mrn`}>{t('patients.mrn')}</label>
          <input
            id={`${id}-mrn`}
            name="mrn"
            required
            maxLength={64}
            autoComplete="off"
            spellCheck={false}
            onChange={() => setOutcome(undefined)}
          />
        </div>
        <button type="submit" className="button">
          {t('patients.find')}
        </button>
      </form>
      {outcome?.kind === 'notFound' && (
        <p className="error" role="alert">
          {t('patients.notFound')}
        </p>
      )}
      {outcome?.kind === 'failed' && (
        <p className="error" role="alert">
          {t('patients.lookupFailed')}
        </p>
      )}
      {outcome?.kind === 'closed' &&
        (session?.user.role === 'clinician' ? (
          <EmergencyAccessForm
            patientId={outcome.patientId}
            onGranted={() => void navigate(patientPagePath(outcome.patientId))}
          />
        ) : (
          <p className="notice" role="status">
            {t('patients.noRelationship')}
          </p>
        ))}
    </section>
  );
}

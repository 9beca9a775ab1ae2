import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  ACCESS_ACTIONS,
  AUDIT_CATEGORIES,
  AUDIT_OUTCOMES,
  SECURITY_EVENT_TYPES,
  type Colleague,
} from '@safeconsult/protocol';
import { findPatient } from '../../api/find-patient.js';
import { useSession } from '../../auth/session-context.js';
import type { AuditFilter } from './audit-filter.js';
import { formText } from './form-text.js';

/**
 * The audit trail's filters. A patient is looked up by record number when the form is sent and
 * kept as the record's id; the number itself never goes into the address.
 */
export function AuditFilterForm({
  filter,
  staff,
  patientName,
  onApply,
  onPatientFound,
}: {
  filter: AuditFilter;
  staff: readonly Colleague[];
  /** How the page names the patient filtered by, if any. */
  patientName: string | undefined;
  onApply: (filter: AuditFilter) => void;
  onPatientFound: (patientId: string, mrn: string) => void;
}) {
  const { t } = useTranslation();
  const { session } = useSession();
  const id = useId();
  const [lookup, setLookup] = useState<'notFound' | 'failed' | undefined>(undefined);

  async function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const mrn = formText(form, 'mrn');
    let patient = filter.patient;
    if (mrn) {
      const found = await findPatient(mrn, session?.csrfToken);
      if (!found.ok) {
        setLookup(found.problem.code === 'not_found' ? 'notFound' : 'failed');
        return;
      }
      patient = found.data.patientId;
      onPatientFound(patient, mrn);
    }
    setLookup(undefined);
    onApply({
      ...filter,
      user: formText(form, 'user'),
      patient,
      category: formText(form, 'category'),
      action: formText(form, 'action'),
      outcome: formText(form, 'outcome'),
      from: formText(form, 'from'),
      to: formText(form, 'to'),
    });
  }

  const select = (
    name: keyof AuditFilter,
    label: string,
    options: [string, string][],
    hint?: string,
  ) => (
    <div className="field">
      <label htmlFor={`${id}-${name}`}>{t(label)}</label>
      <select
        id={`${id}-${name}`}
        name={name}
        defaultValue={filter[name]}
        aria-describedby={hint && `${id}-${name}-hint`}
      >
        <option value="">{t('auditTrail.any')}</option>
        {options.map(([value, words]) => (
          <option key={value} value={value}>
            {words}
          </option>
        ))}
      </select>
      {hint && (
        <p className="hint" id={`${id}-${name}-hint`}>
          {t(hint)}
        </p>
      )}
    </div>
  );

  return (
    <form
      className="card form audit-filters"
      aria-labelledby={`${id}-title`}
      onSubmit={(event) => void apply(event)}
    >
      <h2 id={`${id}-title`}>{t('auditTrail.filters')}</h2>
      <div className="form-row">
        {select(
          'user',
          'auditTrail.person',
          staff.map((s) => [s.userId, `${s.displayName} (${t(`roles.${s.role}`)})`]),
          'auditTrail.personHint',
        )}
        <div className="field">
          <label htmlFor={`${id}-mrn`}>{t('patients.mrn')}</label>
          <input
            id={`${id}-mrn`}
            name="mrn"
            maxLength={64}
            autoComplete="off"
            spellCheck={false}
            aria-describedby={`${id}-mrn-hint`}
          />
          <p className="hint" id={`${id}-mrn-hint`}>
            {patientName
              ? t('auditTrail.patientNow', { patient: patientName })
              : t('auditTrail.patientHint')}
          </p>
          {patientName && (
            <button
              type="button"
              className="button button-secondary button-small"
              onClick={() => onApply({ ...filter, patient: '' })}
            >
              {t('auditTrail.anyPatient')}
            </button>
          )}
        </div>
      </div>
      <div className="form-row">
        {select(
          'category',
          'auditTrail.category',
          AUDIT_CATEGORIES.map((c) => [c, t(`auditTrail.categories.${c}`)]),
        )}
        <div className="field">
          <label htmlFor={`${id}-action`}>{t('auditTrail.action')}</label>
          <select id={`${id}-action`} name="action" defaultValue={filter.action}>
            <option value="">{t('auditTrail.any')}</option>
            <optgroup label={t('auditTrail.categories.access')}>
              {ACCESS_ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {t(`accessActions.${a}`)}
                </option>
              ))}
            </optgroup>
            <optgroup label={t('auditTrail.categories.security')}>
              {SECURITY_EVENT_TYPES.map((e) => (
                <option key={e} value={e}>
                  {t(`auditTrail.eventTypes.${e}`)}
                </option>
              ))}
            </optgroup>
          </select>
        </div>
        {select(
          'outcome',
          'auditTrail.outcome',
          AUDIT_OUTCOMES.map((o) => [o, t(`auditTrail.outcomes.${o}`)]),
        )}
      </div>
      <div className="form-row">
        {(['from', 'to'] as const).map((name) => (
          <div className="field" key={name}>
            <label htmlFor={`${id}-${name}`}>{t(`auditTrail.${name}`)}</label>
            <input id={`${id}-${name}`} name={name} type="date" defaultValue={filter[name]} />
          </div>
        ))}
      </div>
      {lookup && (
        <p className="error" role="alert">
          {t(lookup === 'notFound' ? 'patients.notFound' : 'patients.lookupFailed')}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="button">
          {t('auditTrail.apply')}
        </button>
        <Link className="button button-secondary" to="/admin/audit">
          {t('auditTrail.clear')}
        </Link>
      </div>
    </form>
  );
}

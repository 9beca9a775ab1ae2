import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ACCESS_ACTIONS,
  AUDIT_LOG_IDS,
  DIRECTORY_IDS,
  RECORD_SECTIONS,
  SENSITIVITY_LABEL_CODES,
  SETTINGS_IDS,
  type AccessAction,
  type RecordSectionName,
  type ResourceRef,
  type SampleRequest,
  type SensitivityLabel,
  type Colleague,
} from '@safeconsult/protocol';
import { findPatient } from '../../api/find-patient.js';
import { useSession } from '../../auth/session-context.js';

/** What a sample can touch. Appointments are left out: nothing on these pages names one. */
export const RESOURCE_TYPES = [
  'RecordSection',
  'Patient',
  'User',
  'Settings',
  'Directory',
  'AuditLog',
  'ResearchDataset',
] as const;
type ResourceType = (typeof RESOURCE_TYPES)[number];

function textOf(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

/** A patient found by record number, so that the results can name them by it. */
export interface FoundPatient {
  id: string;
  mrn: string;
}

type Built = { resource: ResourceRef; patient?: FoundPatient } | { error: 'notFound' | 'failed' };

/**
 * Builds one request to try against the proposed policy: a member of staff, an action, and what
 * it touches; a patient is found by record number.
 */
export function SampleBuilder({
  staff,
  onAdd,
}: {
  staff: Colleague[];
  onAdd: (sample: SampleRequest, patient?: FoundPatient) => void;
}) {
  const { t } = useTranslation();
  const { session } = useSession();
  const id = useId();
  const [type, setType] = useState<ResourceType>('RecordSection');
  const [error, setError] = useState<'notFound' | 'failed' | undefined>(undefined);

  async function build(form: FormData): Promise<Built> {
    const value = (name: string) => textOf(form, name);
    const patientByMrn = async (): Promise<FoundPatient | { error: 'notFound' | 'failed' }> => {
      const found = await findPatient(value('mrn'), session?.csrfToken);
      if (found.ok) return { id: found.data.patientId, mrn: value('mrn').trim() };
      return { error: found.problem.code === 'not_found' ? 'notFound' : 'failed' };
    };
    switch (type) {
      case 'RecordSection': {
        const found = await patientByMrn();
        if ('error' in found) return found;
        const label = value('label');
        return {
          patient: found,
          resource: {
            type,
            patientId: found.id,
            section: value('section') as RecordSectionName,
            ...(label ? { labels: [label as SensitivityLabel] } : {}),
          },
        };
      }
      case 'Patient': {
        const found = await patientByMrn();
        if ('error' in found) return found;
        return { patient: found, resource: { type, id: found.id } };
      }
      case 'User':
        return { resource: { type, id: value('target') } };
      case 'Settings':
        return { resource: { type, id: value('id') as (typeof SETTINGS_IDS)[number] } };
      case 'Directory':
        return { resource: { type, id: value('id') as (typeof DIRECTORY_IDS)[number] } };
      case 'AuditLog':
        return { resource: { type, id: value('id') as (typeof AUDIT_LOG_IDS)[number] } };
      case 'ResearchDataset':
        return {
          resource: { type, id: value('dataset'), deidentified: form.get('deidentified') === 'on' },
        };
    }
  }

  async function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const built = await build(form);
    if ('error' in built) {
      setError(built.error);
      return;
    }
    setError(undefined);
    onAdd(
      {
        userId: textOf(form, 'userId'),
        action: textOf(form, 'action') as AccessAction,
        resource: built.resource,
      },
      built.patient,
    );
  }

  const choice = (
    name: string,
    labelKey: string,
    options: readonly string[],
    keyOf: (o: string) => string,
  ) => (
    <div className="field">
      <label htmlFor={`${id}-${name}`}>{t(labelKey)}</label>
      <select id={`${id}-${name}`} name={name}>
        {options.map((o) => (
          <option key={o} value={o}>
            {t(keyOf(o))}
          </option>
        ))}
      </select>
    </div>
  );

  return (
    <form
      className="card form sample-builder"
      aria-labelledby={`${id}-title`}
      onSubmit={(event) => void add(event)}
    >
      <h3 id={`${id}-title`}>{t('whatIf.addSample')}</h3>
      {error && (
        <p className="error" role="alert">
          {t(error === 'notFound' ? 'patients.notFound' : 'patients.lookupFailed')}
        </p>
      )}
      <div className="form-row">
        <div className="field">
          <label htmlFor={`${id}-who`}>{t('whatIf.who')}</label>
          <select id={`${id}-who`} name="userId" required>
            {staff.map((s) => (
              <option key={s.userId} value={s.userId}>
                {s.displayName} ({t(`roles.${s.role}`)})
              </option>
            ))}
          </select>
        </div>
        {choice('action', 'whatIf.action', ACCESS_ACTIONS, (a) => `accessActions.${a}`)}
        <div className="field">
          <label htmlFor={`${id}-type`}>{t('whatIf.resourceType')}</label>
          <select
            id={`${id}-type`}
            value={type}
            onChange={(event) => setType(event.target.value as ResourceType)}
          >
            {RESOURCE_TYPES.map((r) => (
              <option key={r} value={r}>
                {t(`whatIf.resourceTypes.${r}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="form-row">
        {(type === 'RecordSection' || type === 'Patient') && (
          <div className="field">
            <label htmlFor={`${id}-mrn`}>{t('patients.mrn')}</label>
            <input id={`${id}-mrn`} name="mrn" required maxLength={64} autoComplete="off" />
          </div>
        )}
        {type === 'RecordSection' && (
          <>
            {choice('section', 'whatIf.section', RECORD_SECTIONS, (s) => `sections.${s}`)}
            {choice('label', 'whatIf.label', ['', ...SENSITIVITY_LABEL_CODES], (l) =>
              l ? `sensitivity.${l}` : 'whatIf.noLabel',
            )}
          </>
        )}
        {type === 'User' && (
          <div className="field">
            <label htmlFor={`${id}-target`}>{t('whatIf.targetUser')}</label>
            <select id={`${id}-target`} name="target">
              {staff.map((s) => (
                <option key={s.userId} value={s.userId}>
                  {s.displayName}
                </option>
              ))}
            </select>
          </div>
        )}
        {type === 'Settings' &&
          choice('id', 'whatIf.which', SETTINGS_IDS, (s) => `resources.settings.${s}`)}
        {type === 'Directory' &&
          choice('id', 'whatIf.which', DIRECTORY_IDS, (s) => `resources.directory.${s}`)}
        {type === 'AuditLog' &&
          choice('id', 'whatIf.which', AUDIT_LOG_IDS, (s) => `resources.auditLog.${s}`)}
        {type === 'ResearchDataset' && (
          <>
            <div className="field">
              <label htmlFor={`${id}-dataset`}>{t('whatIf.dataset')}</label>
              <input id={`${id}-dataset`} name="dataset" required maxLength={100} />
            </div>
            <div className="field-check">
              <input id={`${id}-deidentified`} name="deidentified" type="checkbox" defaultChecked />
              <label htmlFor={`${id}-deidentified`}>{t('whatIf.deidentified')}</label>
            </div>
          </>
        )}
      </div>
      <div className="actions">
        <button type="submit" className="button button-secondary">
          {t('whatIf.add')}
        </button>
      </div>
    </form>
  );
}

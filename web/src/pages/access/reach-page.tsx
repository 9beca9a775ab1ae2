import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { patientReachSchema, RECORD_SECTIONS, type RecordSectionName } from '@safeconsult/protocol';
import { findPatient } from '../../api/find-patient.js';
import { useApi } from '../../api/use-api.js';
import { useSession } from '../../auth/session-context.js';
import { TableRegion } from '../../layout/table-region.js';
import { usePageTitle } from '../../layout/use-page-title.js';
import { AccessHistoryPanel } from '../access-history/access-history-panel.js';
import { DecisionView } from './decision-view.js';

const DEFAULT_SECTION: RecordSectionName = 'clinical_notes';

const isSection = (value: string | null): value is RecordSectionName =>
  (RECORD_SECTIONS as readonly (string | null)[]).includes(value);

/** The address of the answer for a patient, for links from other pages (emergency review). */
export const reachPagePath = (patientId: string) =>
  `/admin/reach?${new URLSearchParams({ patient: patientId }).toString()}`;

/**
 * "Who can reach this patient?": every member of staff, whether they may read and write a section
 * of one patient's record now, and the policies that decide. The address holds the record's
 * opaque id, never its number, so the page can be linked and reloaded without naming the patient.
 */
export function ReachPage() {
  const { t } = useTranslation();
  const { session } = useSession();
  const id = useId();
  usePageTitle('admin.reach');
  const [params, setParams] = useSearchParams();
  const patientId = params.get('patient');
  const sectionParam = params.get('section');
  const section = isSection(sectionParam) ? sectionParam : DEFAULT_SECTION;
  const [mrn, setMrn] = useState<{ patientId: string; mrn: string } | undefined>(undefined);
  const [lookupError, setLookupError] = useState<'notFound' | 'failed' | undefined>(undefined);
  const path = patientId
    ? `/api/access/patients/${encodeURIComponent(patientId)}/reach?section=${section}`
    : null;
  const { data: reach, problem } = useApi(path, patientReachSchema);

  async function lookUp(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = new FormData(event.currentTarget).get('mrn');
    const number = typeof value === 'string' ? value.trim() : '';
    const found = await findPatient(number, session?.csrfToken);
    if (!found.ok) {
      setLookupError(found.problem.code === 'not_found' ? 'notFound' : 'failed');
      return;
    }
    setLookupError(undefined);
    setMrn({ patientId: found.data.patientId, mrn: number });
    setParams({ patient: found.data.patientId, section });
  }

  const patientName =
    mrn?.patientId === patientId
      ? t('resources.patientMrn', { mrn: mrn.mrn })
      : t('resources.patientId', { id: patientId });

  return (
    <div className="page stack">
      <h1>{t('admin.reach')}</h1>
      <p className="lead">{t('admin.reachText')}</p>
      <form className="card form form-row" onSubmit={(event) => void lookUp(event)}>
        <div className="field">
          <label htmlFor={`${id}-mrn`}>{t('patients.mrn')}</label>
          <input
            id={`${id}-mrn`}
            name="mrn"
            required
            maxLength={64}
            autoComplete="off"
            spellCheck={false}
          />
        </div>
        <button type="submit" className="button">
          {t('reach.show')}
        </button>
      </form>
      {lookupError && (
        <p className="error" role="alert">
          {t(lookupError === 'notFound' ? 'patients.notFound' : 'patients.lookupFailed')}
        </p>
      )}
      {patientId && (
        <div className="field reach-section">
          <label htmlFor={`${id}-section`}>{t('whatIf.section')}</label>
          <select
            id={`${id}-section`}
            value={section}
            onChange={(event) => setParams({ patient: patientId, section: event.target.value })}
          >
            {RECORD_SECTIONS.map((s) => (
              <option key={s} value={s}>
                {t(`sections.${s}`)}
              </option>
            ))}
          </select>
        </div>
      )}
      {problem && (
        <p className="error" role="alert">
          {t(problem.code === 'not_found' ? 'patients.notFound' : 'reach.loadFailed')}
        </p>
      )}
      {reach && (
        <TableRegion captionId={`${id}-caption`}>
          <table className="data-table reach-table">
            <caption id={`${id}-caption`}>
              {t('reach.caption', {
                section: t(`sections.${reach.section}`),
                patient: patientName,
                version: reach.policyVersion,
              })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('reach.staff')}</th>
                <th scope="col">{t('staff.role')}</th>
                <th scope="col">{t('reach.read')}</th>
                <th scope="col">{t('reach.write')}</th>
              </tr>
            </thead>
            <tbody>
              {reach.staff.map((row) => (
                <tr key={row.userId}>
                  <th scope="row">{row.displayName}</th>
                  <td>{t(`roles.${row.role}`)}</td>
                  <td>
                    <DecisionView decision={row.read} />
                  </td>
                  <td>
                    <DecisionView decision={row.write} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
      {reach && (
        <AccessHistoryPanel
          path={`/api/access/patients/${encodeURIComponent(reach.patientId)}/access-history`}
          perspective="staff"
        />
      )}
    </div>
  );
}

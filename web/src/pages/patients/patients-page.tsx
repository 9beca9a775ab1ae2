import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { patientSummarySchema, type PatientSummary } from '@safeconsult/protocol';
import { listIn, useApi } from '../../api/use-api.js';
import { TableRegion } from '../../layout/table-region.js';
import { usePageTitle } from '../../layout/use-page-title.js';
import { useFhirDate } from './fhir-date.js';
import { PatientLookup, patientPagePath } from './patient-lookup.js';

const PATIENTS = listIn('patients', patientSummarySchema);

export const RELATIONSHIP_KEYS: Record<PatientSummary['relationship'], string> = {
  care_team: 'patients.relationship.careTeam',
  consult: 'patients.relationship.consult',
  emergency: 'patients.relationship.emergency',
  none: 'patients.relationship.none',
};

/** The patients the reader may see, with how they relate to each, and a look-up by number. */
export function PatientsPage() {
  const { t } = useTranslation();
  const fhirDate = useFhirDate();
  const id = useId();
  const { data: patients, problem } = useApi('/api/patients', PATIENTS);
  usePageTitle('console.patients');

  return (
    <div className="page stack">
      <h1>{t('console.patients')}</h1>
      <p className="lead">{t('patients.lead')}</p>
      <PatientLookup />
      {problem && (
        <p className="error" role="alert">
          {t('patients.loadFailed')}
        </p>
      )}
      {patients?.length === 0 && <p>{t('patients.none')}</p>}
      {patients && patients.length > 0 && (
        <TableRegion captionId={`${id}-caption`}>
          <table className="data-table">
            <caption id={`${id}-caption`}>{t('patients.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('patients.name')}</th>
                <th scope="col">{t('patients.birthDate')}</th>
                <th scope="col">{t('patients.mrn')}</th>
                <th scope="col">{t('patients.relationshipHeading')}</th>
              </tr>
            </thead>
            <tbody>
              {patients.map((p) => (
                <tr key={p.id}>
                  <th scope="row">
                    <Link to={patientPagePath(p.id)}>{p.name}</Link>
                  </th>
                  <td>{p.birthDate ? fhirDate(p.birthDate) : '—'}</td>
                  <td>{p.mrn ?? '—'}</td>
                  <td>
                    <span
                      className={
                        p.relationship === 'emergency' ? 'badge badge-alert' : 'badge badge-plain'
                      }
                    >
                      {t(RELATIONSHIP_KEYS[p.relationship])}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
    </div>
  );
}

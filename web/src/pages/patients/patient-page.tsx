import { useCallback, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { emergencyGrantSchema, recordSectionSchema, type StaffRole } from '@safeconsult/protocol';
import { listIn, useApi } from '../../api/use-api.js';
import { mayUse } from '../../auth/may-use.js';
import { useSession } from '../../auth/session-context.js';
import { usePageTitle } from '../../layout/use-page-title.js';
import { PolicyList } from '../access/decision-view.js';
import { PatientChart } from '../chart/patient-chart.js';
import { CareTeamPanel } from './care-team-panel.js';
import { ConsentPanel } from './consent-panel.js';
import { EmergencyAccessForm } from './emergency-access-form.js';
import { EmergencyBanner } from './emergency-banner.js';
import { patientName } from './fhir-view.js';
import { sectionPath } from './record-section.js';

const GRANTS = listIn('grants', emergencyGrantSchema);

/**
 * Who is asked for the consent directives (policy `care-team-management`): the front desk would
 * only collect a refusal, recorded for review. The server decides each time.
 */
const CONSENT_ROLES: readonly StaffRole[] = ['clinician', 'nurse'];

/** A patient's record, as far as the reader may see it, with the care team and consent. */
export function PatientPage() {
  const { t } = useTranslation();
  const { patientId = '' } = useParams();
  const { session } = useSession();
  const id = useId();
  // The page title stays generic: titles end up in browser history, patient names must not.
  usePageTitle('patient.title');
  const demographics = useApi(sectionPath(patientId, 'demographics'), recordSectionSchema);
  const grants = useApi('/api/access/emergency/mine', GRANTS);
  /** Bumped when access may have changed, so that every section is asked for again. */
  const [version, setVersion] = useState(0);
  const { reload: reloadDemographics } = demographics;
  const refresh = useCallback(() => {
    reloadDemographics();
    setVersion((v) => v + 1);
  }, [reloadDemographics]);

  const grant = grants.data
    ?.filter((g) => g.patientId === patientId)
    .sort((a, b) => b.expiresAt.localeCompare(a.expiresAt))[0];
  const patient = demographics.data?.items[0];
  const name = patient && patientName(patient);
  const closed = demographics.problem?.code === 'not_found';

  return (
    <div className="page stack">
      <h1>{name || t('patient.title')}</h1>
      {grant && <EmergencyBanner grant={grant} onEnded={refresh} />}
      {demographics.data && demographics.data.allowedBy.length > 0 && (
        <section className="why-open" aria-labelledby={`${id}-why`}>
          <h2 id={`${id}-why`}>{t('patient.whyOpen')}</h2>
          <PolicyList policies={demographics.data.allowedBy} />
        </section>
      )}
      {closed ? (
        <>
          <p className="notice">{t('patient.closed')}</p>
          {session?.user.role === 'clinician' && (
            <EmergencyAccessForm
              patientId={patientId}
              onGranted={() => {
                grants.reload();
                refresh();
              }}
            />
          )}
        </>
      ) : (
        <>
          <PatientChart
            key={version}
            patientId={patientId}
            role={session?.user.role}
            demographics={demographics}
          />
          <CareTeamPanel patientId={patientId} onChanged={refresh} />
          {mayUse(session, CONSENT_ROLES) && (
            <ConsentPanel patientId={patientId} onChanged={refresh} />
          )}
        </>
      )}
    </div>
  );
}

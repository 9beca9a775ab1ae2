import { recordSectionSchema, type RecordSectionView, type StaffRole } from '@safeconsult/protocol';
import { useApi, type Loaded } from '../../api/use-api.js';
import { LoadedRecordSection, RecordSectionCard, sectionPath } from '../patients/record-section.js';
import { ConsultHistorySection } from './consult-history-section.js';
import { consultRecord } from './consult-record.js';
import { DocumentsSection } from './documents-section.js';
import { ObservationTrends } from './observation-trends.js';

const LISTS = ['problems', 'allergies', 'medications'] as const;

/**
 * A patient's chart: demographics, problems, allergies, medications, measurements over time,
 * documents and consult history, and (on the record page) the booked consults. `compact` is the
 * chart beside the video in a consult room: one column, without the bookings. The front desk is
 * not asked for clinical sections: the policy refuses them (`front-desk-no-clinical`), and every
 * refusal is recorded for the security officer.
 */
export function PatientChart({
  patientId,
  role,
  demographics,
  compact = false,
}: {
  patientId: string;
  role: StaffRole | undefined;
  /** Already loaded by the page (for the patient's name); loaded here otherwise. */
  demographics?: Loaded<RecordSectionView>;
  compact?: boolean;
}) {
  const clinical = role !== undefined && role !== 'front_desk';
  const own = useApi(
    demographics ? null : sectionPath(patientId, 'demographics'),
    recordSectionSchema,
  );
  const shown = demographics ?? own;
  const observations = useApi(
    clinical ? sectionPath(patientId, 'observations') : null,
    recordSectionSchema,
  );
  const notes = useApi(
    clinical ? sectionPath(patientId, 'clinical_notes') : null,
    recordSectionSchema,
  );
  const record = notes.data && consultRecord(notes.data.items);
  return (
    <div className={compact ? 'record chart-compact' : 'record'}>
      <RecordSectionCard section="demographics" view={shown.data} problem={shown.problem} />
      {clinical && (
        <>
          {LISTS.map((section) => (
            <LoadedRecordSection key={section} patientId={patientId} section={section} />
          ))}
          <ObservationTrends view={observations.data} />
          <RecordSectionCard
            section="observations"
            view={observations.data}
            problem={observations.problem}
          />
          {notes.problem ? (
            <RecordSectionCard section="clinical_notes" view={undefined} problem={notes.problem} />
          ) : (
            record && (
              <>
                <DocumentsSection documents={record.documents} />
                <ConsultHistorySection consults={record.consults} />
              </>
            )
          )}
        </>
      )}
      {!compact && <LoadedRecordSection patientId={patientId} section="scheduling" />}
    </div>
  );
}

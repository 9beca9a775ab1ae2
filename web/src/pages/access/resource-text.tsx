import { useTranslation } from 'react-i18next';
import type { ResourceRef } from '@safeconsult/protocol';

/** What the page knows to name people by: record numbers it looked up, and the staff list. */
export interface KnownNames {
  /** Patient id → medical record number. */
  patients: ReadonlyMap<string, string>;
  /** Staff id → display name. */
  staff: ReadonlyMap<string, string>;
}

/**
 * What a request touches, in words. The security officer does not read patients' names, so a
 * patient is named by the record number looked up on this page, else by the record's id.
 */
export function ResourceText({ resource, names }: { resource: ResourceRef; names: KnownNames }) {
  const { t } = useTranslation();
  const patient = (id: string) => {
    const mrn = names.patients.get(id);
    return mrn ? t('resources.patientMrn', { mrn }) : t('resources.patientId', { id });
  };
  switch (resource.type) {
    case 'RecordSection': {
      const text = t('resources.recordSection', {
        section: t(`sections.${resource.section}`),
        patient: patient(resource.patientId),
      });
      return resource.labels?.length
        ? t('resources.withLabels', {
            resource: text,
            labels: resource.labels.map((l) => t(`sensitivity.${l}`)).join(', '),
          })
        : text;
    }
    case 'Patient':
      return t('resources.patient', { patient: patient(resource.id) });
    case 'Appointment':
      return t('resources.appointment', { id: resource.id });
    case 'User':
      return t('resources.user', { name: names.staff.get(resource.id) ?? resource.id });
    case 'Settings':
      return t(`resources.settings.${resource.id}`);
    case 'Directory':
      return t(`resources.directory.${resource.id}`);
    case 'AuditLog':
      return t(`resources.auditLog.${resource.id}`);
    case 'ResearchDataset':
      return t(resource.deidentified ? 'resources.datasetDeidentified' : 'resources.dataset', {
        id: resource.id,
      });
  }
}

import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useStaffDirectory } from '../../api/use-staff-directory.js';
import { useDateTime } from '../../clinic/use-date-time.js';
import { usePageTitle } from '../../layout/use-page-title.js';
import { ProblemMessage } from '../problem-message.js';
import { auditTrailPath, filterOf, paramsOf } from './audit-filter.js';
import { AuditFilterForm } from './audit-filter-form.js';
import { AuditTimeline } from './audit-timeline.js';
import { newIncidentPath } from './incident-paths.js';
import { useAuditTrail } from './use-audit-trail.js';

/**
 * The security officer's audit trail: every ledger entry that passes the filters in the address,
 * as a timeline by day on the clinic's clock, in plain words. Entries can be picked to open an
 * incident with.
 */
export function AuditTrailPage() {
  const { t } = useTranslation();
  usePageTitle('admin.audit');
  const [params, setParams] = useSearchParams();
  const filter = useMemo(() => filterOf(params), [params]);
  const { timeZone } = useDateTime();
  const { staff } = useStaffDirectory();
  const [mrns, setMrns] = useState<ReadonlyMap<string, string>>(new Map());
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const { entries, problem, hasMore, loadMore } = useAuditTrail(filter, timeZone);

  const names = useMemo(
    () => ({ patients: mrns, staff: new Map(staff.map((s) => [s.userId, s.displayName])) }),
    [mrns, staff],
  );
  const patientName = filter.patient
    ? mrns.has(filter.patient)
      ? t('resources.patientMrn', { mrn: mrns.get(filter.patient) })
      : t('resources.patientId', { id: filter.patient })
    : undefined;
  const toggle = (id: number) =>
    setSelected((before) => {
      const after = new Set(before);
      if (!after.delete(id)) after.add(id);
      return after;
    });
  const idCount = filter.ids ? filter.ids.split(',').length : 0;

  return (
    <div className="page stack">
      <h1>{t('admin.audit')}</h1>
      <p className="lead">{t('auditTrail.lead')}</p>
      <AuditFilterForm
        key={params.toString()}
        filter={filter}
        staff={staff}
        patientName={patientName}
        onApply={(next) => setParams(paramsOf(next))}
        onPatientFound={(id, mrn) => setMrns((before) => new Map(before).set(id, mrn))}
      />
      {idCount > 0 && (
        <p className="notice">
          {t('auditTrail.onlyIds', { count: idCount })}{' '}
          <Link to={auditTrailPath({ ...filter, ids: '' })}>{t('auditTrail.allIds')}</Link>
        </p>
      )}
      {selected.size > 0 && (
        <p className="notice audit-selection">
          {t('auditTrail.selected', { count: selected.size })}{' '}
          <Link className="button button-small" to={newIncidentPath({ entries: [...selected] })}>
            {t('auditTrail.openIncident')}
          </Link>
        </p>
      )}
      <p role="status">
        {entries &&
          t(hasMore ? 'auditTrail.shownMore' : 'auditTrail.shown', {
            count: entries.length,
            zone: timeZone,
          })}
      </p>
      {problem && <ProblemMessage problem={problem} fallbackKey="auditTrail.loadFailed" />}
      {entries && (
        <AuditTimeline
          entries={entries}
          names={names}
          timeZone={timeZone}
          selected={selected}
          onToggle={toggle}
        />
      )}
      {hasMore && (
        <div className="actions">
          <button type="button" className="button button-secondary" onClick={loadMore}>
            {t('auditTrail.older')}
          </button>
        </div>
      )}
    </div>
  );
}

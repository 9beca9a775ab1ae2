import { Fragment, useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  recordSectionSchema,
  type Problem,
  type RecordSectionName,
  type RecordSectionView,
} from '@safeconsult/protocol';
import { useApi } from '../../api/use-api.js';
import { TableRegion } from '../../layout/table-region.js';
import { sectionView } from './fhir-view.js';
import { RecordCell } from './record-cell.js';

export const sectionPath = (patientId: string, section: RecordSectionName) =>
  `/api/patients/${encodeURIComponent(patientId)}/sections/${section}`;

/** A record section's table, named by the section's heading: its column headers and its rows. */
export function SectionTable({
  titleId,
  columns,
  children,
}: {
  titleId: string;
  columns: readonly string[];
  children: ReactNode;
}) {
  return (
    <TableRegion captionId={titleId}>
      <table className="data-table" aria-labelledby={titleId}>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </TableRegion>
  );
}

/**
 * One section of a patient's record. A refusal reads as `not_found` (the server does not say
 * whether a record exists to those it refuses): the policy, or a consent directive, keeps the
 * section from this reader.
 */
export function RecordSectionCard({
  section,
  view,
  problem,
}: {
  section: RecordSectionName;
  view: RecordSectionView | undefined;
  problem: Problem | undefined;
}) {
  const { t } = useTranslation();
  const id = useId();
  const shown = view && sectionView(section, view.items);
  const first = shown?.rows[0];
  return (
    // The section is not a named region itself: its table is, by the same heading.
    <section className="card record-section">
      <h2 id={`${id}-title`}>{t(`sections.${section}`)}</h2>
      {problem ? (
        <p className={problem.code === 'not_found' ? 'muted' : 'error'}>
          {t(problem.code === 'not_found' ? 'record.sectionClosed' : 'record.loadFailed')}
        </p>
      ) : !shown ? (
        <p role="status">{t('record.loading')}</p>
      ) : !first ? (
        <p className="muted">{t('record.empty')}</p>
      ) : shown.layout === 'facts' ? (
        <dl className="facts">
          {shown.columns.map((column, i) => (
            <Fragment key={column}>
              <dt>{t(column)}</dt>
              <dd>{first.cells[i] && <RecordCell cell={first.cells[i]} />}</dd>
            </Fragment>
          ))}
        </dl>
      ) : (
        <SectionTable titleId={`${id}-title`} columns={shown.columns.map((column) => t(column))}>
          {shown.rows.map((row) => (
            <tr key={row.key}>
              {row.cells.map((cell, i) => (
                <td key={i}>
                  <RecordCell cell={cell} />
                </td>
              ))}
            </tr>
          ))}
        </SectionTable>
      )}
    </section>
  );
}

/** A section that loads itself. */
export function LoadedRecordSection({
  patientId,
  section,
}: {
  patientId: string;
  section: RecordSectionName;
}) {
  const { data, problem } = useApi(sectionPath(patientId, section), recordSectionSchema);
  return <RecordSectionCard section={section} view={data} problem={problem} />;
}

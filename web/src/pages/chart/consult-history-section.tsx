import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useFhirDate } from '../patients/fhir-date.js';
import { SectionTable } from '../patients/record-section.js';
import type { ChartConsult } from './consult-record.js';
import { documentAnchor } from './documents-section.js';

/** The patient's past consults (their Encounters), newest first, each with a link to its note. */
export function ConsultHistorySection({ consults }: { consults: ChartConsult[] }) {
  const { t } = useTranslation();
  const fhirDate = useFhirDate();
  const id = useId();
  return (
    <section className="card record-section">
      <h2 id={`${id}-title`}>{t('chart.historyTitle')}</h2>
      {consults.length === 0 ? (
        <p className="muted">{t('record.empty')}</p>
      ) : (
        <SectionTable
          titleId={`${id}-title`}
          columns={[t('chart.date'), t('chart.length'), t('chart.participants'), t('chart.note')]}
        >
          {consults.map((c) => (
            <tr key={c.id}>
              <td>{c.start ? <time dateTime={c.start}>{fhirDate(c.start)}</time> : '—'}</td>
              <td>{c.minutes === undefined ? '—' : t('chart.minutes', { count: c.minutes })}</td>
              <td>{c.participants.join(', ') || '—'}</td>
              <td>
                {c.noteId ? (
                  <a href={`#${documentAnchor(c.noteId)}`}>{t('chart.openNote')}</a>
                ) : (
                  t('chart.noNote')
                )}
              </td>
            </tr>
          ))}
        </SectionTable>
      )}
    </section>
  );
}

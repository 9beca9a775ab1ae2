import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useFhirDate } from '../patients/fhir-date.js';
import { SectionTable } from '../patients/record-section.js';
import type { ChartDocument } from './consult-record.js';

/** Where the chart shows a document, for links from the consult history. */
export const documentAnchor = (id: string) => `document-${id}`;

/**
 * The patient's documents (consult notes), newest first. A note's words are shown as text, never
 * as markup, when its row is opened.
 */
export function DocumentsSection({ documents }: { documents: ChartDocument[] }) {
  const { t } = useTranslation();
  const fhirDate = useFhirDate();
  const id = useId();
  return (
    <section className="card record-section">
      <h2 id={`${id}-title`}>{t('chart.documentsTitle')}</h2>
      {documents.length === 0 ? (
        <p className="muted">{t('record.empty')}</p>
      ) : (
        <SectionTable
          titleId={`${id}-title`}
          columns={[
            t('chart.document'),
            t('chart.date'),
            t('chart.author'),
            t('chart.status'),
            t('chart.content'),
          ]}
        >
          {documents.map((d) => (
            <tr key={d.id} id={documentAnchor(d.id)}>
              <td>{d.title}</td>
              <td>{d.date ? <time dateTime={d.date}>{fhirDate(d.date)}</time> : '—'}</td>
              <td>{d.author ?? '—'}</td>
              <td>{t(d.superseded ? 'chart.superseded' : 'chart.current')}</td>
              <td>
                {d.text === undefined ? (
                  t('chart.noText')
                ) : (
                  <details>
                    <summary>{t('chart.readNote')}</summary>
                    <div className="note-text">{d.text}</div>
                  </details>
                )}
              </td>
            </tr>
          ))}
        </SectionTable>
      )}
    </section>
  );
}

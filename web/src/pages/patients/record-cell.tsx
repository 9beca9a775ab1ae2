import { useTranslation } from 'react-i18next';
import { useFhirDate } from './fhir-date.js';
import type { Cell } from './fhir-view.js';

/** One cell of a record table in the reader's language: numbers, dates and coded values. */
export function RecordCell({ cell }: { cell: Cell }) {
  const { t, i18n } = useTranslation();
  const fhirDate = useFhirDate();
  switch (cell.kind) {
    case 'text':
      return cell.text;
    case 'term':
      return t(cell.key);
    case 'date':
      return <time dateTime={cell.value}>{fhirDate(cell.value)}</time>;
    case 'quantity': {
      const number = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 2 });
      return `${cell.values.map((v) => number.format(v)).join('/')} ${cell.unit}`.trim();
    }
    case 'labelled':
      return (
        <>
          {cell.label}: <RecordCell cell={cell.cell} />
        </>
      );
    case 'qualified':
      return (
        <>
          <RecordCell cell={cell.main} /> (<RecordCell cell={cell.qualifier} />)
        </>
      );
    case 'list':
      return (
        <ul className="cell-list">
          {cell.cells.map((c, i) => (
            <li key={i}>
              <RecordCell cell={c} />
            </li>
          ))}
        </ul>
      );
  }
}

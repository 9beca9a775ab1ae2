import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useFhirDate } from '../patients/fhir-date.js';
import type { ObservationSeries } from './observation-series.js';
import { scaleSeries } from './sparkline-scale.js';

const BOX = { width: 160, height: 44, padding: 4 };

/**
 * One measurement over time as a small line chart. The picture is named by its caption, which
 * says in words what it shows (how many readings, over which dates, the latest, lowest and
 * highest); every reading is in the measurements table as well.
 */
export function TrendFigure({ series }: { series: ObservationSeries }) {
  const { t, i18n } = useTranslation();
  const fhirDate = useFhirDate();
  const id = useId();
  const scaled = scaleSeries(series.points, BOX);
  const number = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 2 });
  const first = series.points[0];
  const latest = series.points[series.points.length - 1];
  if (!first || !latest) return null;
  return (
    <figure className="trend">
      <svg
        role="img"
        aria-labelledby={`${id}-caption`}
        viewBox={`0 0 ${BOX.width} ${BOX.height}`}
        width={BOX.width}
        height={BOX.height}
        className="trend-chart"
      >
        {scaled.lines.map((points, i) => (
          <polyline key={i} points={points} className={`trend-line trend-line-${i}`} />
        ))}
        {scaled.dots.flatMap((dots, i) =>
          dots.map((d, j) => (
            <circle key={`${i}-${j}`} cx={d.x} cy={d.y} r={2.5} className={`trend-dot-${i}`} />
          )),
        )}
      </svg>
      <figcaption id={`${id}-caption`}>
        <strong>{series.label}</strong>{' '}
        {t(series.points.length === 1 ? 'chart.trendSummaryOne' : 'chart.trendSummaryMany', {
          n: series.points.length,
          from: fhirDate(first.at),
          to: fhirDate(latest.at),
          latest: latest.values.map((v) => number.format(v)).join('/'),
          min: number.format(scaled.min),
          max: number.format(scaled.max),
          unit: series.unit,
        })}
      </figcaption>
    </figure>
  );
}

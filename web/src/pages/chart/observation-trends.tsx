import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { RecordSectionView } from '@safeconsult/protocol';
import { observationSeries } from './observation-series.js';
import { TrendFigure } from './trend-figure.js';

/** The patient's measurements over time, one small chart per kind of measurement. */
export function ObservationTrends({ view }: { view: RecordSectionView | undefined }) {
  const { t } = useTranslation();
  const id = useId();
  if (!view) return null;
  const series = observationSeries(view.items);
  if (series.length === 0) return null;
  return (
    <section className="card record-section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('chart.trendsTitle')}</h2>
      <p className="hint">{t('chart.trendsHint')}</p>
      <div className="trends">
        {series.map((s) => (
          <TrendFigure key={s.key} series={s} />
        ))}
      </div>
    </section>
  );
}

import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { SampleRequest } from '@safeconsult/protocol';
import { TableRegion } from '../../layout/table-region.js';
import { ResourceText, type KnownNames } from './resource-text.js';

/** The sample requests a check will try, each removable. */
export function SampleList({
  samples,
  names,
  onRemove,
}: {
  samples: SampleRequest[];
  names: KnownNames;
  onRemove: (index: number) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  if (samples.length === 0) return <p className="muted">{t('whatIf.noSamples')}</p>;
  return (
    <TableRegion captionId={`${id}-caption`}>
      <table className="data-table">
        <caption id={`${id}-caption`}>{t('whatIf.samplesToTry')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('whatIf.who')}</th>
            <th scope="col">{t('whatIf.action')}</th>
            <th scope="col">{t('whatIf.resource')}</th>
            <th scope="col">{t('account.action')}</th>
          </tr>
        </thead>
        <tbody>
          {samples.map((s, i) => (
            <tr key={i}>
              <td id={`${id}-sample-${i}`}>{names.staff.get(s.userId) ?? s.userId}</td>
              <td>{t(`accessActions.${s.action}`)}</td>
              <td>
                <ResourceText resource={s.resource} names={names} />
              </td>
              <td>
                <button
                  type="button"
                  className="button button-secondary button-small"
                  aria-describedby={`${id}-sample-${i}`}
                  onClick={() => onRemove(i)}
                >
                  {t('whatIf.remove')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}

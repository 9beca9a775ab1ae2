import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { WhatIfResult } from '@safeconsult/protocol';
import { TableRegion } from '../../layout/table-region.js';
import { DecisionView } from './decision-view.js';
import { groupOutcomes, type WhatIfOutcome } from './group-outcomes.js';
import { ResourceText, type KnownNames } from './resource-text.js';

function OutcomeCells({
  outcome,
  names,
  count,
}: {
  outcome: WhatIfOutcome;
  names: KnownNames;
  /** How often a replayed question was asked. */
  count?: number;
}) {
  const { t } = useTranslation();
  const { request } = outcome;
  return (
    <>
      <td>
        {request.displayName}
        <br />
        <span className="muted">{t(`roles.${request.role}`)}</span>
      </td>
      <td>
        {t(`accessActions.${request.action}`)}
        <br />
        <code className="muted">{request.action}</code>
      </td>
      <td>
        <ResourceText resource={request.resource} names={names} />
      </td>
      {count !== undefined && <td>{count}</td>}
      <td>
        <DecisionView decision={outcome.current} />
      </td>
      <td className={outcome.changed ? 'changed' : undefined}>
        <DecisionView decision={outcome.proposed} />
        {outcome.changed && <span className="badge badge-alert">{t('whatIf.changed')}</span>}
      </td>
    </>
  );
}

function OutcomeHeadings({ count }: { count?: boolean }) {
  const { t } = useTranslation();
  return (
    <thead>
      <tr>
        <th scope="col">{t('whatIf.who')}</th>
        <th scope="col">{t('whatIf.action')}</th>
        <th scope="col">{t('whatIf.resource')}</th>
        {count && <th scope="col">{t('whatIf.times')}</th>}
        <th scope="col">{t('whatIf.current')}</th>
        <th scope="col">{t('whatIf.proposed')}</th>
      </tr>
    </thead>
  );
}

/**
 * What the check found: the problems that stop the proposal, or how it would decide the officer's
 * samples and which of the recent real decisions it would turn around.
 */
export function WhatIfResults({ result, names }: { result: WhatIfResult; names: KnownNames }) {
  const { t } = useTranslation();
  const id = useId();
  if (!result.valid) {
    return (
      <div className="error" role="alert">
        <p>{t('whatIf.invalid', { problems: result.problems.length })}</p>
        <ul className="problems">
          {result.problems.map((p) => (
            <li key={`${p.file}:${p.line}:${p.column}:${p.message}`}>
              <code>
                {p.file}:{p.line}:{p.column}
              </code>{' '}
              {p.message}
            </li>
          ))}
        </ul>
      </div>
    );
  }
  const changed = groupOutcomes(result.changedRecent);
  return (
    <div className="what-if-results">
      <p className="notice" role="status">
        {t('whatIf.valid')}{' '}
        {t('whatIf.replayed', { replayed: result.replayed, changed: result.changedRecent.length })}
      </p>
      {result.samples.length > 0 && (
        <TableRegion captionId={`${id}-samples`}>
          <table className="data-table">
            <caption id={`${id}-samples`}>{t('whatIf.samplesCaption')}</caption>
            <OutcomeHeadings />
            <tbody>
              {result.samples.map((outcome, i) => (
                <tr key={i}>
                  <OutcomeCells outcome={outcome} names={names} />
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
      {changed.length > 0 && (
        <TableRegion captionId={`${id}-recent`}>
          <table className="data-table">
            <caption id={`${id}-recent`}>{t('whatIf.recentCaption')}</caption>
            <OutcomeHeadings count />
            <tbody>
              {changed.map(({ outcome, count }, i) => (
                <tr key={i}>
                  <OutcomeCells outcome={outcome} names={names} count={count} />
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
    </div>
  );
}

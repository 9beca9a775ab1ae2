import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { StaffAccount } from '@safeconsult/protocol';

const HOUR = 3_600_000;
/** The periods offered, in hours back from now; 0 is any time. */
export const PERIODS = { anyTime: 0, last24h: 24, last7d: 24 * 7, last30d: 24 * 30 } as const;
export type Period = keyof typeof PERIODS;

export interface SignInFilter {
  failuresOnly: boolean;
  /** An account's id, or '' for every account. */
  userId: string;
  period: Period;
}

/** The event types that show something going wrong: the ones to look at first. */
const FAILURE_TYPES = ['sign_in_failed', 'sign_in_throttled', 'account_locked'] as const;

/** The filter as the query of GET /api/security/sign-in-events. */
export function filterQuery(filter: SignInFilter, limit: number, now: Date): URLSearchParams {
  const query = new URLSearchParams({ limit: String(limit) });
  if (filter.failuresOnly) for (const type of FAILURE_TYPES) query.append('type', type);
  if (filter.userId) query.set('userId', filter.userId);
  const hours = PERIODS[filter.period];
  if (hours > 0) query.set('since', new Date(now.getTime() - hours * HOUR).toISOString());
  return query;
}

const isPeriod = (value: string): value is Period => value in PERIODS;

/** The controls above the list; each change applies at once (the list is not a new page). */
export function SignInFilters({
  filter,
  staff,
  onChange,
}: {
  filter: SignInFilter;
  staff: StaffAccount[];
  onChange: (filter: SignInFilter) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <fieldset className="card filters">
      <legend>{t('signIns.filters')}</legend>
      <div className="field field-check">
        <input
          id={`${id}-failures`}
          type="checkbox"
          checked={filter.failuresOnly}
          onChange={(event) => onChange({ ...filter, failuresOnly: event.target.checked })}
        />
        <label htmlFor={`${id}-failures`}>{t('signIns.failuresOnly')}</label>
      </div>
      <div className="field">
        <label htmlFor={`${id}-account`}>{t('signIns.account')}</label>
        <select
          id={`${id}-account`}
          value={filter.userId}
          onChange={(event) => onChange({ ...filter, userId: event.target.value })}
        >
          <option value="">{t('signIns.allAccounts')}</option>
          {staff.map((s) => (
            <option key={s.id} value={s.id}>
              {s.displayName}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-period`}>{t('signIns.period')}</label>
        <select
          id={`${id}-period`}
          value={filter.period}
          onChange={(event) => {
            if (isPeriod(event.target.value)) onChange({ ...filter, period: event.target.value });
          }}
        >
          {Object.keys(PERIODS).map((period) => (
            <option key={period} value={period}>
              {t(`signIns.periods.${period}`)}
            </option>
          ))}
        </select>
      </div>
    </fieldset>
  );
}

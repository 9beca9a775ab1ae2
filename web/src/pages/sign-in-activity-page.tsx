import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  securityEventSchema,
  staffAccountSchema,
  type SecurityEvent,
  type StaffAccount,
} from '@safeconsult/protocol';
import { api } from '../api/http.js';
import { useDateTime } from '../clinic/use-date-time.js';
import { TableRegion } from '../layout/table-region.js';
import { usePageTitle } from '../layout/use-page-title.js';
import { AuditExportButton } from './audit/audit-export-button.js';
import { describeEvent } from './describe-event.js';
import { filterQuery, SignInFilters, type SignInFilter } from './sign-in-filters.js';

const LIMIT = 200;

/** The security officer's view of sign-ins, failures and locks, newest first. */
export function SignInActivityPage() {
  const { t } = useTranslation();
  const when = useDateTime({ seconds: true });
  const [staff, setStaff] = useState<StaffAccount[]>([]);
  const [filter, setFilter] = useState<SignInFilter>({
    failuresOnly: false,
    userId: '',
    period: 'anyTime',
  });
  const [events, setEvents] = useState<SecurityEvent[] | undefined>(undefined);
  const [failed, setFailed] = useState(false);
  usePageTitle('admin.signIns');

  useEffect(() => {
    void api<{ staff: unknown }>('/api/admin/staff').then((result) => {
      if (result.ok) setStaff(staffAccountSchema.array().parse(result.data.staff));
    });
  }, []);

  useEffect(() => {
    // A quick change of filter must not let an older, slower answer overwrite a newer one.
    let current = true;
    const query = filterQuery(filter, LIMIT, new Date());
    void api<{ events: unknown }>(`/api/security/sign-in-events?${query.toString()}`).then(
      (result) => {
        if (!current) return;
        setFailed(!result.ok);
        if (result.ok) setEvents(securityEventSchema.array().parse(result.data.events));
      },
    );
    return () => {
      current = false;
    };
  }, [filter]);

  const locked = useMemo(() => staff.filter((s) => s.lockedAt), [staff]);
  const lockedIds = useMemo(() => new Set(locked.map((s) => s.id)), [locked]);

  return (
    <div className="page">
      <h1>{t('admin.signIns')}</h1>
      <p className="lead">{t('admin.signInsText')}</p>
      {locked.length > 0 && (
        <section className="notice locked-accounts" aria-labelledby="locked-accounts">
          <h2 id="locked-accounts">{t('signIns.lockedTitle')}</h2>
          <ul>
            {locked.map((s) => (
              <li key={s.id}>
                {t('signIns.lockedSince', {
                  name: s.displayName,
                  email: s.email,
                  time: when(s.lockedAt),
                })}
              </li>
            ))}
          </ul>
          <p>
            {t('signIns.unlockHint')} <Link to="/admin">{t('signIns.usersLink')}</Link>
          </p>
        </section>
      )}
      <AuditExportButton />
      <SignInFilters filter={filter} staff={staff} onChange={setFilter} />
      <p role="status">
        {events &&
          (events.length === LIMIT
            ? t('signIns.capped', { count: LIMIT })
            : t('signIns.shown', { count: events.length }))}
      </p>
      {failed && (
        <p className="error" role="alert">
          {t('signIns.loadFailed')}
        </p>
      )}
      <TableRegion captionId="sign-in-events-caption">
        <table className="data-table">
          <caption id="sign-in-events-caption">
            {t('signIns.caption', { zone: when.timeZone })}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('signIns.when')}</th>
              <th scope="col">{t('signIns.whatHappened')}</th>
              <th scope="col">{t('signIns.who')}</th>
              <th scope="col">{t('account.address')}</th>
            </tr>
          </thead>
          <tbody>
            {events?.map((e) => {
              const { key, values } = describeEvent(e);
              const lockedNow = e.userId !== null && lockedIds.has(e.userId);
              return (
                <tr key={e.id} className={lockedNow ? 'row-locked' : undefined}>
                  <td>
                    <time dateTime={e.at}>{when(e.at)}</time>
                  </td>
                  <td>{t(key, values)}</td>
                  <td>
                    {e.user ? (
                      <>
                        {e.user.displayName}
                        {lockedNow && (
                          <span className="badge badge-alert">{t('signIns.lockedBadge')}</span>
                        )}
                        <br />
                        <span className="muted">{e.user.email}</span>
                      </>
                    ) : (
                      t('signIns.noAccount')
                    )}
                  </td>
                  <td>{e.address ?? '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableRegion>
    </div>
  );
}

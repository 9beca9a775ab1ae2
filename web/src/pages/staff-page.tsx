import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { staffAccountSchema, type StaffAccount } from '@safeconsult/protocol';
import { api } from '../api/http.js';
import { useSession } from '../auth/session-context.js';
import { useDateTime } from '../clinic/use-date-time.js';
import { TableRegion } from '../layout/table-region.js';
import { usePageTitle } from '../layout/use-page-title.js';
import { InviteForm } from './invite-form.js';

const staffListSchema = staffAccountSchema.array();

/** The staff list, for administrators and the security officer; administrators also invite. */
export function StaffPage() {
  const { t } = useTranslation();
  const { session } = useSession();
  const when = useDateTime();
  const id = useId();
  const [staff, setStaff] = useState<StaffAccount[]>([]);
  usePageTitle('admin.users');

  /** Bumped after an invitation, to load the list again. */
  const [version, setVersion] = useState(0);
  useEffect(() => {
    void api<{ staff: unknown }>('/api/admin/staff').then((result) => {
      if (result.ok) setStaff(staffListSchema.parse(result.data.staff));
    });
  }, [version]);

  return (
    <div className="page">
      <h1>{t('admin.users')}</h1>
      <TableRegion captionId={`${id}-caption`}>
        <table className="data-table">
          <caption id={`${id}-caption`}>{t('staff.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('staff.name')}</th>
              <th scope="col">{t('staff.email')}</th>
              <th scope="col">{t('staff.role')}</th>
              <th scope="col">{t('staff.mfa')}</th>
              <th scope="col">{t('staff.lastSignIn')}</th>
              <th scope="col">{t('staff.status')}</th>
            </tr>
          </thead>
          <tbody>
            {staff.map((s) => (
              <tr key={s.id}>
                <td>{s.displayName}</td>
                <td>{s.email}</td>
                <td>{t(`roles.${s.role}`)}</td>
                <td>
                  {s.mfaEnrolled
                    ? [
                        s.authenticatorApp ? t('staff.mfaOn') : undefined,
                        s.passkeys > 0 ? t('staff.mfaPasskeys', { count: s.passkeys }) : undefined,
                      ]
                        .filter(Boolean)
                        .join(', ')
                    : t('staff.mfaOff')}
                </td>
                <td>{when(s.lastSignInAt)}</td>
                <td>{s.lockedAt ? t('staff.locked') : t('staff.active')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
      {session?.user.role === 'admin' && <InviteForm onInvited={() => setVersion((v) => v + 1)} />}
    </div>
  );
}

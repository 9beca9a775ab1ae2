import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  STAFF_ROLES,
  staffAccountSchema,
  type Problem,
  type StaffAccount,
} from '@safeconsult/protocol';
import { api } from '../api/http.js';
import { useSensitiveAction } from '../auth/reauthentication.js';
import { useSession } from '../auth/session-context.js';
import { usePageTitle } from '../layout/use-page-title.js';
import { SectionPage } from './section-page.js';

const staffListSchema = staffAccountSchema.array();

export function StaffPage() {
  const { t, i18n } = useTranslation();
  const { session } = useSession();
  const id = useId();
  const [staff, setStaff] = useState<StaffAccount[]>([]);
  const [notice, setNotice] = useState<'invited' | Problem | undefined>(undefined);
  const { run, prompt } = useSensitiveAction();
  usePageTitle('admin.users');
  const canManage = session?.stage === 'full' && session.user.role === 'admin';

  /** Bumped after an invitation, to load the list again. */
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (!canManage) return;
    void api<{ staff: unknown }>('/api/admin/staff').then((result) => {
      if (result.ok) setStaff(staffListSchema.parse(result.data.staff));
    });
  }, [canManage, version]);

  if (!canManage) {
    return (
      <SectionPage titleKey="admin.users" textKey="admin.usersText" signInKey="admin.signInToSee" />
    );
  }

  async function invite(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const value = (name: string) => {
      const v = data.get(name);
      return typeof v === 'string' ? v : '';
    };
    const body = { email: value('email'), displayName: value('displayName'), role: value('role') };
    await run(
      () => api('/api/admin/staff', { method: 'POST', body, csrfToken: session?.csrfToken }),
      (result) => {
        setNotice(result.ok ? 'invited' : result.problem);
        if (result.ok) {
          form.reset();
          setVersion((v) => v + 1);
        }
      },
    );
  }

  const when = (iso: string | null) =>
    iso
      ? new Date(iso).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' })
      : '—';
  return (
    <div className="page">
      <h1>{t('admin.users')}</h1>
      {prompt}
      <table className="data-table">
        <caption>{t('staff.caption')}</caption>
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

      <h2>{t('staff.inviteTitle')}</h2>
      <form className="card form form-inline" onSubmit={(event) => void invite(event)}>
        {notice === 'invited' && (
          <p className="notice" role="status">
            {t('staff.invited')}
          </p>
        )}
        {notice && notice !== 'invited' && (
          <p className="error" role="alert">
            {t(notice.code === 'conflict' ? 'staff.exists' : 'staff.inviteFailed')}
          </p>
        )}
        <div className="field">
          <label htmlFor={`${id}-name`}>{t('staff.name')}</label>
          <input id={`${id}-name`} name="displayName" required maxLength={120} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-email`}>{t('staff.email')}</label>
          <input id={`${id}-email`} name="email" type="email" required autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-role`}>{t('staff.role')}</label>
          <select id={`${id}-role`} name="role" defaultValue="clinician">
            {STAFF_ROLES.map((role) => (
              <option key={role} value={role}>
                {t(`roles.${role}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button">
          {t('staff.invite')}
        </button>
      </form>
    </div>
  );
}

import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { STAFF_ROLES, type Problem } from '@safeconsult/protocol';
import { api } from '../api/http.js';
import { useSensitiveAction } from '../auth/reauthentication.js';
import { useSession } from '../auth/session-context.js';

/** An administrator invites a member of staff; the link goes out through the outbox. */
export function InviteForm({ onInvited }: { onInvited: () => void }) {
  const { t } = useTranslation();
  const { session } = useSession();
  const id = useId();
  const [notice, setNotice] = useState<'invited' | Problem | undefined>(undefined);
  const { run, prompt } = useSensitiveAction();

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
          onInvited();
        }
      },
    );
  }

  return (
    <>
      <h2>{t('staff.inviteTitle')}</h2>
      {prompt}
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
    </>
  );
}

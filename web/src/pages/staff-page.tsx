import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { staffAccountSchema, type Problem, type StaffAccount } from '@safeconsult/protocol';
import { api } from '../api/http.js';
import { listIn, useApi } from '../api/use-api.js';
import { useSensitiveAction } from '../auth/reauthentication.js';
import { useSession } from '../auth/session-context.js';
import { useDateTime } from '../clinic/use-date-time.js';
import { TableRegion } from '../layout/table-region.js';
import { usePageTitle } from '../layout/use-page-title.js';
import { InviteForm } from './invite-form.js';
import { ProblemMessage } from './problem-message.js';

const staffList = listIn('staff', staffAccountSchema);

/** What the last unlock did, said above the list. */
type Outcome = { kind: 'unlocked'; name: string } | { kind: 'refused'; problem: Problem };

/**
 * The staff list, for administrators and the security officer; administrators also invite, and
 * unlock accounts that repeated failed sign-ins have locked.
 */
export function StaffPage() {
  const { t } = useTranslation();
  const { session } = useSession();
  const when = useDateTime();
  const id = useId();
  const { data: staff = [], reload } = useApi('/api/admin/staff', staffList);
  const { run, prompt } = useSensitiveAction();
  const [outcome, setOutcome] = useState<Outcome | undefined>(undefined);
  const outcomeRef = useRef<HTMLDivElement>(null);
  usePageTitle('admin.users');
  const isAdmin = session?.user.role === 'admin';

  // The Unlock button goes once the account is unlocked: focus goes to what happened instead.
  useEffect(() => {
    outcomeRef.current?.focus();
  }, [outcome]);

  async function unlock(account: StaffAccount) {
    await run(
      () =>
        api(`/api/admin/staff/${encodeURIComponent(account.id)}/unlock`, {
          method: 'POST',
          csrfToken: session?.csrfToken,
        }),
      (result) => {
        setOutcome(
          result.ok
            ? { kind: 'unlocked', name: account.displayName }
            : { kind: 'refused', problem: result.problem },
        );
        reload();
      },
    );
  }

  return (
    <div className="page">
      <h1>{t('admin.users')}</h1>
      {outcome && (
        <div ref={outcomeRef} tabIndex={-1} className="outcome">
          {outcome.kind === 'unlocked' ? (
            <p className="notice" role="status">
              {t('staff.unlocked', { name: outcome.name })}
            </p>
          ) : (
            <ProblemMessage problem={outcome.problem} fallbackKey="staff.unlockFailed" />
          )}
        </div>
      )}
      {prompt}
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
            {staff.map((s, i) => (
              <tr key={s.id} className={s.lockedAt ? 'row-locked' : undefined}>
                <th scope="row" id={`${id}-name-${i}`}>
                  {s.displayName}
                </th>
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
                <td>
                  {s.lockedAt ? t('staff.locked') : t('staff.active')}
                  {s.lockedAt && isAdmin && (
                    <button
                      type="button"
                      className="button button-secondary button-small cell-action"
                      aria-describedby={`${id}-name-${i}`}
                      onClick={() => void unlock(s)}
                    >
                      {t('staff.unlock')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
      {isAdmin && <InviteForm onInvited={reload} />}
    </div>
  );
}

import { useTranslation } from 'react-i18next';
import { ownAccountSchema } from '@safeconsult/protocol';
import { useApi } from '../api/use-api.js';
import { usePageTitle } from '../layout/use-page-title.js';
import { OwnSecondFactors } from './own-second-factors.js';
import { OwnSessions } from './own-sessions.js';

/**
 * Every signed-in user's own page: who they are to the system, how their sign-in is protected,
 * and where they are signed in.
 */
export function AccountPage() {
  const { t } = useTranslation();
  const { data: account } = useApi('/api/auth/account', ownAccountSchema);
  usePageTitle('account.title');

  return (
    <div className="page">
      <h1>{t('account.title')}</h1>
      <p className="lead">{t('account.intro')}</p>
      {account && (
        <>
          <dl className="card facts">
            <dt>{t('staff.name')}</dt>
            <dd>{account.displayName}</dd>
            <dt>{t('staff.role')}</dt>
            <dd>{t(`roles.${account.role}`)}</dd>
            <dt>{t('staff.email')}</dt>
            <dd>{account.email}</dd>
          </dl>
          <OwnSecondFactors authenticatorApp={account.authenticatorApp} />
        </>
      )}
      <OwnSessions />
    </div>
  );
}

import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ownAccountSchema, type OwnAccount } from '@safeconsult/protocol';
import { api } from '../api/http.js';
import { usePageTitle } from '../layout/use-page-title.js';
import { OwnSessions } from './own-sessions.js';

/** Every signed-in user's own page: who they are to the system, and where they are signed in. */
export function AccountPage() {
  const { t } = useTranslation();
  const [account, setAccount] = useState<OwnAccount | undefined>(undefined);
  usePageTitle('account.title');

  useEffect(() => {
    void api<unknown>('/api/auth/account').then((result) => {
      if (result.ok) setAccount(ownAccountSchema.parse(result.data));
    });
  }, []);

  return (
    <div className="page">
      <h1>{t('account.title')}</h1>
      <p className="lead">{t('account.intro')}</p>
      {account && (
        <dl className="card facts">
          <dt>{t('staff.name')}</dt>
          <dd>{account.displayName}</dd>
          <dt>{t('staff.role')}</dt>
          <dd>{t(`roles.${account.role}`)}</dd>
          <dt>{t('staff.email')}</dt>
          <dd>{account.email}</dd>
          <dt>{t('staff.mfa')}</dt>
          <dd>{account.mfaEnrolled ? t('staff.mfaOn') : t('staff.mfaOff')}</dd>
        </dl>
      )}
      <OwnSessions />
    </div>
  );
}

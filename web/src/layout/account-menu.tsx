import { useTranslation } from 'react-i18next';
import { NavLink, useNavigate } from 'react-router';
import { useSession } from '../auth/session-context.js';

/** Who is signed in, with the way out; or the way in. */
export function AccountMenu() {
  const { t } = useTranslation();
  const { session, signOut } = useSession();
  const navigate = useNavigate();
  if (!session) return <NavLink to="/sign-in">{t('nav.signIn')}</NavLink>;
  return (
    <div className="account-menu">
      <span>{t('auth.signedInAs', { name: session.user.displayName })}</span>
      <NavLink to="/account">{t('account.menuLink')}</NavLink>
      <button
        type="button"
        className="button button-secondary button-small"
        onClick={() => {
          void signOut().then(() => navigate('/sign-in'));
        }}
      >
        {t('auth.signOut')}
      </button>
    </div>
  );
}

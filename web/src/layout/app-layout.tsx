import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet } from 'react-router';
import { useClinic } from '../clinic/clinic-context.js';
import { AccountMenu } from './account-menu.js';
import { LanguageSwitcher } from './language-switcher.js';

const MAIN_ID = 'main-content';

export function AppLayout() {
  const { t } = useTranslation();
  const clinic = useClinic();
  return (
    <div className="app">
      <a className="skip-link" href={`#${MAIN_ID}`}>
        {t('app.skipToContent')}
      </a>
      <header className="app-header">
        <Link to="/" className="brand">
          <img src="/favicon.svg" alt="" width="32" height="32" />
          <span className="brand-name">{clinic?.name ?? t('app.name')}</span>
        </Link>
        <nav aria-label={t('app.mainNav')} className="main-nav">
          <NavLink to="/join">{t('nav.join')}</NavLink>
          <NavLink to="/console">{t('nav.console')}</NavLink>
          <NavLink to="/admin">{t('nav.admin')}</NavLink>
        </nav>
        <div className="header-tools">
          <AccountMenu />
          <LanguageSwitcher />
        </div>
      </header>
      <main id={MAIN_ID} tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="app-footer">
        <p>{t('app.footer')}</p>
      </footer>
    </div>
  );
}

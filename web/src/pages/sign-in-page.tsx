import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../layout/use-page-title.js';

/** The sign-in form; it submits nowhere until staff accounts exist on the server. */
export function SignInPage() {
  const { t } = useTranslation();
  const id = useId();
  const noticeId = `${id}-notice`;
  usePageTitle('signIn.title');
  return (
    <div className="page page-narrow">
      <h1>{t('signIn.heading')}</h1>
      <p className="notice" id={noticeId} role="status">
        {t('signIn.notice')}
      </p>
      <form
        className="card form"
        aria-describedby={noticeId}
        onSubmit={(event) => event.preventDefault()}
      >
        <div className="field">
          <label htmlFor={`${id}-email`}>{t('signIn.email')}</label>
          <input id={`${id}-email`} type="email" name="email" autoComplete="username" required />
        </div>
        <div className="field">
          <label htmlFor={`${id}-password`}>{t('signIn.password')}</label>
          <input
            id={`${id}-password`}
            type="password"
            name="password"
            autoComplete="current-password"
            required
          />
        </div>
        <button type="submit" className="button" disabled>
          {t('signIn.submit')}
        </button>
      </form>
    </div>
  );
}

import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/http.js';
import { usePageTitle } from '../layout/use-page-title.js';

export function ResetRequestPage() {
  const { t } = useTranslation();
  const id = useId();
  const [sent, setSent] = useState(false);
  usePageTitle('reset.title');

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = new FormData(event.currentTarget).get('email');
    await api('/api/auth/password-reset', {
      method: 'POST',
      body: { email: typeof email === 'string' ? email : '' },
    });
    // The same answer whether or not the address has an account.
    setSent(true);
  }

  return (
    <div className="page page-narrow">
      <h1>{t('reset.title')}</h1>
      {sent ? (
        <p className="notice" role="status">
          {t('reset.sent')}
        </p>
      ) : (
        <form className="card form" onSubmit={(event) => void submit(event)}>
          <p>{t('reset.intro')}</p>
          <div className="field">
            <label htmlFor={`${id}-email`}>{t('signIn.email')}</label>
            <input id={`${id}-email`} type="email" name="email" autoComplete="username" required />
          </div>
          <button type="submit" className="button">
            {t('reset.submit')}
          </button>
        </form>
      )}
    </div>
  );
}

import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import {
  linkHolderSchema,
  passwordVerdictSchema,
  sessionInfoSchema,
  type LinkHolder,
  type PasswordVerdict,
} from '@safeconsult/protocol';
import { api } from '../api/http.js';
import { pathAfterSignIn } from '../auth/after-sign-in.js';
import { useSession } from '../auth/session-context.js';
import { usePageTitle } from '../layout/use-page-title.js';
import { PasswordStrength } from './password-strength.js';
import { useLinkToken } from './use-link-token.js';

type Purpose = 'invitation' | 'password_reset';

/** Asks the server's policy after a short pause in typing, not on every key. */
const CHECK_DELAY_MS = 300;

export function SetPasswordPage({ purpose }: { purpose: Purpose }) {
  const { t } = useTranslation();
  const token = useLinkToken();
  const { replaceSession } = useSession();
  const navigate = useNavigate();
  const id = useId();
  // Without a token there is nothing to look up: the link is broken from the start.
  const [holder, setHolder] = useState<LinkHolder | null | undefined>(token ? undefined : null);
  const [password, setPassword] = useState('');
  const [verdict, setVerdict] = useState<PasswordVerdict | undefined>(undefined);
  const [failed, setFailed] = useState(false);
  const titleKey = purpose === 'invitation' ? 'setPassword.welcomeTitle' : 'setPassword.resetTitle';
  usePageTitle(titleKey);

  useEffect(() => {
    if (!token) return;
    void api<unknown>('/api/auth/links/inspect', { method: 'POST', body: { token, purpose } }).then(
      (r) => {
        const parsed = r.ok ? linkHolderSchema.safeParse(r.data) : undefined;
        setHolder(parsed?.success ? parsed.data : null);
      },
    );
  }, [token, purpose]);

  useEffect(() => {
    if (!token || !holder || password === '') return;
    const timer = setTimeout(() => {
      void api<unknown>('/api/auth/links/password-check', {
        method: 'POST',
        body: { token, purpose, password },
      }).then((r) => {
        const parsed = r.ok ? passwordVerdictSchema.safeParse(r.data) : undefined;
        if (parsed?.success) setVerdict(parsed.data);
      });
    }, CHECK_DELAY_MS);
    return () => clearTimeout(timer);
  }, [token, holder, purpose, password]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = await api<unknown>('/api/auth/links/set-password', {
      method: 'POST',
      body: { token, purpose, password },
    });
    if (!result.ok) {
      setFailed(true);
      return;
    }
    const session = sessionInfoSchema.parse(result.data);
    replaceSession(session);
    await navigate(pathAfterSignIn(session));
  }

  if (holder === undefined) return <div className="page page-narrow" aria-busy="true" />;
  if (holder === null) {
    return (
      <div className="page page-narrow">
        <h1>{t('setPassword.invalidTitle')}</h1>
        <p>{t('setPassword.invalidText')}</p>
        <Link className="button" to="/reset-password">
          {t('setPassword.requestNew')}
        </Link>
      </div>
    );
  }
  return (
    <div className="page page-narrow">
      <h1>{t(titleKey)}</h1>
      <p>{t('setPassword.intro', { name: holder.displayName, email: holder.email })}</p>
      <form className="card form" onSubmit={(event) => void submit(event)}>
        {failed && (
          <p className="error" role="alert">
            {t('setPassword.failed')}
          </p>
        )}
        <input
          type="email"
          name="username"
          autoComplete="username"
          value={holder.email}
          readOnly
          hidden
        />
        <div className="field">
          <label htmlFor={`${id}-password`}>{t('setPassword.newPassword')}</label>
          <input
            id={`${id}-password`}
            type="password"
            name="new-password"
            autoComplete="new-password"
            required
            maxLength={4096}
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            aria-describedby={`${id}-hint ${id}-strength`}
          />
          <p id={`${id}-hint`} className="hint">
            {t('setPassword.hint')}
          </p>
          <PasswordStrength id={`${id}-strength`} verdict={password === '' ? undefined : verdict} />
        </div>
        <button type="submit" className="button" disabled={password === '' || !verdict?.acceptable}>
          {t('setPassword.submit')}
        </button>
      </form>
    </div>
  );
}

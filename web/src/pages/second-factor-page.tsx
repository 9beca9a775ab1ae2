import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate } from 'react-router';
import { sessionInfoSchema, type Problem } from '@safeconsult/protocol';
import { api } from '../api/http.js';
import { pathAfterSignIn } from '../auth/after-sign-in.js';
import { provePasskey } from '../auth/passkeys.js';
import { useSession } from '../auth/session-context.js';
import { usePageTitle } from '../layout/use-page-title.js';
import { CodeField } from './code-field.js';
import { SecondFactorError } from './second-factor-error.js';

export function SecondFactorPage() {
  const { t } = useTranslation();
  const { session, replaceSession } = useSession();
  const navigate = useNavigate();
  const id = useId();
  const [problem, setProblem] = useState<Problem | undefined>(undefined);
  usePageTitle('mfa.verifyTitle');
  if (session === null) return <Navigate to="/sign-in" replace />;

  async function verify(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = new FormData(event.currentTarget).get('code');
    const result = await api<unknown>('/api/auth/mfa/verify', {
      method: 'POST',
      body: { code: typeof code === 'string' ? code : '' },
      csrfToken: session?.csrfToken,
    });
    if (!result.ok) {
      setProblem(result.problem);
      return;
    }
    await complete(result.data);
  }

  /** A phishing-resistant role may still owe a passkey after its code; the path says where next. */
  async function complete(data: unknown) {
    const next = sessionInfoSchema.parse(data);
    replaceSession(next);
    await navigate(pathAfterSignIn(next));
  }

  async function confirmWithPasskey() {
    const result = await provePasskey<unknown>(
      '/api/auth/mfa/passkey/options',
      '/api/auth/mfa/passkey',
      session?.csrfToken,
    );
    if (result.ok) await complete(result.data);
    else if (result.problem.code !== 'passkey_cancelled') setProblem(result.problem);
  }

  const methods = session?.secondFactor?.methods ?? [];
  const codes = methods.includes('totp') || methods.includes('recovery_code');

  return (
    <div className="page page-narrow">
      <h1>{t('mfa.verifyTitle')}</h1>
      <SecondFactorError id={`${id}-error`} problem={problem} />
      {methods.includes('passkey') && (
        <div className="card form">
          <p>{t('mfa.passkeyIntro')}</p>
          <button type="button" className="button" onClick={() => void confirmWithPasskey()}>
            {t('mfa.usePasskey')}
          </button>
        </div>
      )}
      {codes && (
        <form className="card form" onSubmit={(event) => void verify(event)}>
          <p>{t(methods.includes('totp') ? 'mfa.verifyIntro' : 'mfa.recoveryOnlyIntro')}</p>
          <CodeField
            id={`${id}-code`}
            labelKey={methods.includes('totp') ? 'mfa.verifyLabel' : 'mfa.recoveryLabel'}
            describedBy={problem ? `${id}-error` : undefined}
          />
          <button
            type="submit"
            className={methods.includes('passkey') ? 'button button-secondary' : 'button'}
          >
            {t('mfa.verify')}
          </button>
        </form>
      )}
    </div>
  );
}

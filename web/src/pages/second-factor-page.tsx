import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate } from 'react-router';
import { sessionInfoSchema, type Problem } from '@safeconsult/protocol';
import { api } from '../api/http.js';
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
    replaceSession(sessionInfoSchema.parse(result.data));
    await navigate('/console');
  }

  return (
    <div className="page page-narrow">
      <h1>{t('mfa.verifyTitle')}</h1>
      <p>{t('mfa.verifyIntro')}</p>
      <form className="card form" onSubmit={(event) => void verify(event)}>
        <SecondFactorError id={`${id}-error`} problem={problem} />
        <CodeField
          id={`${id}-code`}
          labelKey="mfa.verifyLabel"
          describedBy={problem ? `${id}-error` : undefined}
        />
        <button type="submit" className="button">
          {t('mfa.verify')}
        </button>
      </form>
    </div>
  );
}

import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { Problem } from '@safeconsult/protocol';
import { pathAfterSignIn } from '../auth/after-sign-in.js';
import { useSession } from '../auth/session-context.js';
import { usePageTitle } from '../layout/use-page-title.js';

const KNOWN_ERRORS = new Set([
  'invalid_credentials',
  'sign_in_throttled',
  'account_locked',
  'rate_limited',
  'validation_failed',
  'passkey_invalid',
]);

function retryAfterSeconds(problem: Problem): number {
  const match = /(\d+)/.exec(problem.detail ?? '');
  return match ? Number(match[1]) : 60;
}

export function SignInPage() {
  const { t } = useTranslation();
  const { signIn, signInWithPasskey, passkeysAvailable } = useSession();
  const navigate = useNavigate();
  const id = useId();
  const [problem, setProblem] = useState<Problem | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  usePageTitle('signIn.title');

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    const text = (name: string) => {
      const value = form.get(name);
      return typeof value === 'string' ? value : '';
    };
    const outcome = await signIn(text('email'), text('password'));
    setBusy(false);
    if ('problem' in outcome) setProblem(outcome.problem);
    else await navigate(pathAfterSignIn(outcome.session));
  }

  async function confirmWithPasskey() {
    setBusy(true);
    const outcome = await signInWithPasskey();
    setBusy(false);
    if (!('problem' in outcome)) await navigate(pathAfterSignIn(outcome.session));
    else if (outcome.problem.code !== 'passkey_cancelled') setProblem(outcome.problem);
  }

  const errorKey = problem && KNOWN_ERRORS.has(problem.code) ? problem.code : 'other';
  return (
    <div className="page page-narrow">
      <h1>{t('signIn.heading')}</h1>
      <form className="card form" onSubmit={(event) => void submit(event)} noValidate={false}>
        {problem && (
          <p className="error" role="alert" id={`${id}-error`}>
            {t(`signIn.errors.${errorKey}`, { seconds: retryAfterSeconds(problem) })}
          </p>
        )}
        <div className="field">
          <label htmlFor={`${id}-email`}>{t('signIn.email')}</label>
          <input
            id={`${id}-email`}
            type="email"
            name="email"
            autoComplete="username"
            required
            aria-describedby={problem ? `${id}-error` : undefined}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-password`}>{t('signIn.password')}</label>
          <input
            id={`${id}-password`}
            type="password"
            name="password"
            autoComplete="current-password"
            required
            maxLength={4096}
          />
        </div>
        <button type="submit" className="button" disabled={busy}>
          {t('signIn.submit')}
        </button>
        <Link to="/reset-password">{t('signIn.forgot')}</Link>
      </form>
      {passkeysAvailable && (
        <div className="card form">
          <p>{t('signIn.passkeyIntro')}</p>
          <button
            type="button"
            className="button button-secondary"
            disabled={busy}
            onClick={() => void confirmWithPasskey()}
          >
            {t('signIn.passkey')}
          </button>
        </div>
      )}
    </div>
  );
}

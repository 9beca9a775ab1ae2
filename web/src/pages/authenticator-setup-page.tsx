import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate } from 'react-router';
import {
  passkeyAddedSchema,
  totpConfirmationSchema,
  totpEnrolmentSchema,
  type Problem,
  type TotpEnrolment,
} from '@safeconsult/protocol';
import { api } from '../api/http.js';
import { pathAfterSignIn } from '../auth/after-sign-in.js';
import { useSession } from '../auth/session-context.js';
import { usePageTitle } from '../layout/use-page-title.js';
import { CodeField } from './code-field.js';
import { PasskeyCreator } from './passkey-creator.js';
import { RecoveryCodes } from './recovery-codes.js';
import { SecondFactorError } from './second-factor-error.js';

/** Groups of four, as authenticator apps show secrets, so typing it by hand is easier. */
const grouped = (secret: string) => secret.match(/.{1,4}/g)?.join(' ') ?? secret;

export function AuthenticatorSetupPage() {
  const { t } = useTranslation();
  const { session, replaceSession, passkeysAvailable } = useSession();
  const navigate = useNavigate();
  const id = useId();
  const [enrolment, setEnrolment] = useState<TotpEnrolment | undefined>(undefined);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | undefined>(undefined);
  const [problem, setProblem] = useState<Problem | undefined>(undefined);
  usePageTitle('mfa.setupTitle');
  const csrfToken = session?.csrfToken;
  const enrol = session?.stage === 'mfa_enrolment' ? (session.secondFactor?.enrol ?? []) : [];
  const offersApp = enrol.includes('totp');
  const offersPasskey = enrol.includes('passkey') && passkeysAvailable;

  useEffect(() => {
    if (!csrfToken || !offersApp) return;
    void api<unknown>('/api/auth/mfa/totp/enrolment', { method: 'POST', csrfToken }).then(
      (result) => {
        if (result.ok) setEnrolment(totpEnrolmentSchema.parse(result.data));
        else setProblem(result.problem);
      },
    );
  }, [csrfToken, offersApp]);

  if (session === null) return <Navigate to="/sign-in" replace />;

  async function confirm(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = new FormData(event.currentTarget).get('code');
    const result = await api<unknown>('/api/auth/mfa/totp/enrolment/confirm', {
      method: 'POST',
      body: { code: typeof code === 'string' ? code : '' },
      csrfToken,
    });
    if (!result.ok) {
      setProblem(result.problem);
      return;
    }
    const confirmed = totpConfirmationSchema.parse(result.data);
    setProblem(undefined);
    setRecoveryCodes(confirmed.recoveryCodes);
    replaceSession(confirmed.session);
  }

  async function passkeyAdded(data: unknown) {
    const added = passkeyAddedSchema.parse(data);
    replaceSession(added.session);
    if (added.recoveryCodes) setRecoveryCodes(added.recoveryCodes);
    else await navigate(pathAfterSignIn(added.session));
  }

  if (recoveryCodes) {
    return (
      <div className="page page-narrow">
        <h1>{t('mfa.recoveryTitle')}</h1>
        <p>{t('mfa.recoveryIntro')}</p>
        <RecoveryCodes codes={recoveryCodes} />
        <Link className="button" to="/console">
          {t('mfa.recoveryDone')}
        </Link>
      </div>
    );
  }

  return (
    <div className="page page-narrow">
      <h1>{t('mfa.setupTitle')}</h1>
      <p>{t(offersApp ? 'mfa.setupIntro' : 'mfa.setupPasskeyOnlyIntro')}</p>
      {offersPasskey && csrfToken && (
        <section aria-labelledby={`${id}-passkey`}>
          <h2 id={`${id}-passkey`}>{t('mfa.passkeyHeading')}</h2>
          <p>{t('mfa.passkeyExplain')}</p>
          <PasskeyCreator
            csrfToken={csrfToken}
            onCreated={passkeyAdded}
            submitKey="mfa.createPasskey"
          />
        </section>
      )}
      {!offersApp && !offersPasskey && <p className="error">{t('mfa.passkeyUnavailable')}</p>}
      {offersApp && (
        <section aria-labelledby={`${id}-app`}>
          <h2 id={`${id}-app`}>{t('mfa.appHeading')}</h2>
          <p>{t('mfa.appExplain')}</p>
          {enrolment && (
            <div className="card authenticator">
              <img
                src={`data:image/svg+xml;base64,${btoa(enrolment.qrSvg)}`}
                alt={t('mfa.qrAlt')}
                width="200"
                height="200"
              />
              <p>{t('mfa.secretLabel')}</p>
              <p>
                <code className="secret" data-testid="totp-secret">
                  {grouped(enrolment.secret)}
                </code>
              </p>
            </div>
          )}
          <form className="card form" onSubmit={(event) => void confirm(event)}>
            <SecondFactorError id={`${id}-error`} problem={problem} />
            <CodeField
              id={`${id}-code`}
              labelKey="mfa.codeLabel"
              describedBy={problem ? `${id}-error` : undefined}
            />
            <button type="submit" className="button" disabled={!enrolment}>
              {t('mfa.confirm')}
            </button>
          </form>
        </section>
      )}
    </div>
  );
}

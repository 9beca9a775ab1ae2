import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Problem } from '@safeconsult/protocol';
import type { ApiResult } from '../api/http.js';
import { createPasskey } from '../auth/passkeys.js';
import type { SensitiveRun } from '../auth/reauthentication.js';
import { SecondFactorError } from './second-factor-error.js';

/** At first sign-in the session is new, so adding a passkey needs no fresh proof. */
const runOnce: SensitiveRun = async (call, done) => done(await call());

/**
 * Creates a passkey under a name the person will recognise later ("Work laptop"). The browser
 * then asks for the device's screen lock or a security key. Added later, from the account page,
 * it is a change of security settings that `run` guards with re-authentication.
 */
export function PasskeyCreator({
  csrfToken,
  onCreated,
  submitKey,
  run = runOnce,
}: {
  csrfToken: string;
  onCreated: (data: unknown) => void | Promise<void>;
  submitKey: string;
  run?: SensitiveRun;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [problem, setProblem] = useState<Problem | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  async function settle(result: ApiResult<unknown>) {
    setProblem(undefined);
    if (result.ok) await onCreated(result.data);
    else if (result.problem.code !== 'passkey_cancelled') setProblem(result.problem);
  }

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = new FormData(event.currentTarget).get('name');
    setBusy(true);
    await run(
      () => createPasskey<unknown>(typeof name === 'string' ? name : '', csrfToken),
      (result) => void settle(result),
    );
    setBusy(false);
  }

  return (
    <form className="card form" onSubmit={(event) => void create(event)}>
      <SecondFactorError id={`${id}-error`} problem={problem} />
      <div className="field">
        <label htmlFor={`${id}-name`}>{t('passkeys.nameLabel')}</label>
        <input
          id={`${id}-name`}
          name="name"
          required
          maxLength={60}
          defaultValue={t('passkeys.defaultName')}
          aria-describedby={problem ? `${id}-error` : undefined}
        />
      </div>
      <button type="submit" className="button" disabled={busy}>
        {t(submitKey)}
      </button>
    </form>
  );
}

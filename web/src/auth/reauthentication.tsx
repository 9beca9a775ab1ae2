import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Problem } from '@safeconsult/protocol';
import { api, type ApiResult } from '../api/http.js';
import { SecondFactorError } from '../pages/second-factor-error.js';
import { provePasskey } from './passkeys.js';
import { useSession } from './session-context.js';

/**
 * Asks the person to prove again that it is them (password and code, or a passkey) before a
 * sensitive action the server refused for want of a recent sign-in.
 */
function ReauthenticationPrompt({
  onConfirmed,
  onCancel,
  returnFocusTo,
}: {
  onConfirmed: () => Promise<void>;
  onCancel: () => void;
  /** What had the focus when the action was taken (it may have been disabled while it ran). */
  returnFocusTo: Element | null;
}) {
  const { t } = useTranslation();
  const { session, passkeysAvailable } = useSession();
  const id = useId();
  const [problem, setProblem] = useState<Problem | undefined>(undefined);
  const csrfToken = session?.csrfToken;
  const title = useRef<HTMLHeadingElement>(null);

  // The prompt appears in place of the action just taken: take the focus to it, so keyboard and
  // screen-reader users meet it, and give the focus back to that action when it goes.
  useEffect(() => {
    title.current?.focus();
    return () => {
      if (returnFocusTo instanceof HTMLElement && returnFocusTo.isConnected) returnFocusTo.focus();
    };
  }, [returnFocusTo]);

  async function settle(result: ApiResult<unknown>) {
    if (result.ok) await onConfirmed();
    else if (result.problem.code !== 'passkey_cancelled') setProblem(result.problem);
  }

  async function withPassword(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => {
      const value = form.get(name);
      return typeof value === 'string' ? value.trim() : '';
    };
    const code = text('code');
    await settle(
      await api('/api/auth/reauthenticate', {
        method: 'POST',
        body: { password: form.get('password'), ...(code ? { code } : {}) },
        csrfToken,
      }),
    );
  }

  async function withPasskey() {
    await settle(
      await provePasskey(
        '/api/auth/reauthenticate/passkey/options',
        '/api/auth/reauthenticate/passkey',
        csrfToken,
      ),
    );
  }

  return (
    <section className="card form reauthentication" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} ref={title} tabIndex={-1}>
        {t('reauth.title')}
      </h2>
      <p>{t('reauth.intro')}</p>
      <SecondFactorError id={`${id}-error`} problem={problem} />
      {passkeysAvailable && (
        <button type="button" className="button" onClick={() => void withPasskey()}>
          {t('reauth.passkey')}
        </button>
      )}
      <form className="form" onSubmit={(event) => void withPassword(event)}>
        <div className="field">
          <label htmlFor={`${id}-password`}>{t('reauth.password')}</label>
          <input
            id={`${id}-password`}
            type="password"
            name="password"
            autoComplete="current-password"
            required
            maxLength={4096}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-code`}>{t('reauth.code')}</label>
          <input
            id={`${id}-code`}
            name="code"
            autoComplete="one-time-code"
            maxLength={20}
            spellCheck={false}
          />
        </div>
        <div className="actions">
          <button type="submit" className="button">
            {t('reauth.confirm')}
          </button>
          <button type="button" className="button button-secondary" onClick={onCancel}>
            {t('reauth.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}

/** Runs an API call and hands its result to `done`, however many tries that takes. */
export type SensitiveRun = <T>(
  call: () => Promise<ApiResult<T>>,
  done: (result: ApiResult<T>) => void,
) => Promise<void>;

/**
 * Runs a sensitive API call; when the server asks for a recent sign-in, shows the prompt and,
 * once the person has confirmed, runs the call again.
 */
export function useSensitiveAction(): { run: SensitiveRun; prompt: ReactNode } {
  const [waiting, setWaiting] = useState<
    { retry: () => Promise<void>; origin: Element | null } | undefined
  >(undefined);

  async function run<T>(call: () => Promise<ApiResult<T>>, done: (result: ApiResult<T>) => void) {
    const origin = document.activeElement;
    const result = await call();
    if (!result.ok && result.problem.code === 'reauthentication_required') {
      setWaiting({ retry: async () => done(await call()), origin });
      return;
    }
    done(result);
  }

  const prompt = waiting ? (
    <ReauthenticationPrompt
      onConfirmed={async () => {
        setWaiting(undefined);
        await waiting.retry();
      }}
      onCancel={() => setWaiting(undefined)}
      returnFocusTo={waiting.origin}
    />
  ) : null;
  return { run, prompt };
}

import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ehrConnectionSchema, type EhrConnection, type Problem } from '@safeconsult/protocol';
import { api } from '../api/http.js';
import { useApi } from '../api/use-api.js';
import { useSensitiveAction } from '../auth/reauthentication.js';
import { useSession } from '../auth/session-context.js';
import { usePageTitle } from '../layout/use-page-title.js';
import { formText, formWords } from './audit/form-text.js';
import { ProblemMessage } from './problem-message.js';

type Outcome = 'saved' | 'key-made' | Problem;

/**
 * The clinic's EHR: its FHIR address, how patients are matched, and how SafeConsult signs in to
 * it, with a key pair made here (its public half shown to register with the EHR) or a bearer
 * token, which is never shown again once saved.
 */
export function EhrConnectionPage() {
  const { t } = useTranslation();
  const { session } = useSession();
  const id = useId();
  const {
    data: connection,
    problem: loadProblem,
    reload,
  } = useApi('/api/admin/ehr-connection', ehrConnectionSchema);
  const { run, prompt } = useSensitiveAction();
  const [kind, setKind] = useState<'smart-backend' | 'bearer'>();
  const [outcome, setOutcome] = useState<Outcome>();
  usePageTitle('admin.ehr');
  const authKind = kind ?? connection?.authKind ?? 'smart-backend';

  async function makeKeyPair() {
    await run(
      () =>
        api('/api/admin/ehr-connection/key-pair', {
          method: 'POST',
          csrfToken: session?.csrfToken,
        }),
      (result) => {
        setOutcome(result.ok ? 'key-made' : result.problem);
        reload();
      },
    );
  }

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => formText(form, name);
    const auth =
      authKind === 'bearer'
        ? { kind: authKind, token: text('token') }
        : { kind: authKind, clientId: text('clientId'), scopes: formWords(form, 'scopes') };
    await run(
      () =>
        api<EhrConnection>('/api/admin/ehr-connection', {
          method: 'PUT',
          body: {
            baseUrl: text('baseUrl'),
            patientIdentifierSystem: text('system'),
            auth,
          },
          csrfToken: session?.csrfToken,
        }),
      (result) => {
        setOutcome(result.ok ? 'saved' : result.problem);
        reload();
      },
    );
  }

  const problem = typeof outcome === 'object' ? outcome : undefined;
  return (
    <div className="page">
      <h1>{t('admin.ehr')}</h1>
      <p className="lead">{t('admin.ehrText')}</p>
      {problem && <ProblemMessage problem={problem} fallbackKey="ehr.failed" />}
      {(outcome === 'saved' || outcome === 'key-made') && (
        <p className="notice" role="status">
          {t(outcome === 'saved' ? 'ehr.saved' : 'ehr.keyMade')}
        </p>
      )}
      {prompt}
      {loadProblem && <ProblemMessage problem={loadProblem} fallbackKey="ehr.failed" />}
      {/* Only once the connection is known: a new key pair replaces one the EHR has registered. */}
      {connection && (
        <section className="card" aria-labelledby={`${id}-key`}>
          <h2 id={`${id}-key`}>{t('ehr.keyTitle')}</h2>
          <p>{t('ehr.keyText')}</p>
          {connection.publicJwks ? (
            <pre aria-label={t('ehr.publicJwks')}>
              {JSON.stringify(connection.publicJwks, null, 2)}
            </pre>
          ) : (
            <p className="empty-state">{t('ehr.noKey')}</p>
          )}
          <button
            type="button"
            className="button button-secondary"
            onClick={() => void makeKeyPair()}
          >
            {t(connection.publicJwks ? 'ehr.newKey' : 'ehr.makeKey')}
          </button>
        </section>
      )}
      {connection && (
        <section className="card" aria-labelledby={`${id}-settings`}>
          <h2 id={`${id}-settings`}>{t('ehr.settingsTitle')}</h2>
          <form className="form stack" onSubmit={(event) => void save(event)}>
            <div className="field">
              <label htmlFor={`${id}-base`}>{t('ehr.baseUrl')}</label>
              <input
                id={`${id}-base`}
                name="baseUrl"
                type="url"
                required
                defaultValue={connection.baseUrl ?? ''}
              />
            </div>
            <div className="field">
              <label htmlFor={`${id}-system`}>{t('ehr.identifierSystem')}</label>
              <input
                id={`${id}-system`}
                name="system"
                required
                defaultValue={connection.patientIdentifierSystem ?? ''}
                aria-describedby={`${id}-system-hint`}
              />
              <p id={`${id}-system-hint`} className="hint">
                {t('ehr.identifierSystemHint')}
              </p>
            </div>
            <div className="field">
              <label htmlFor={`${id}-kind`}>{t('ehr.authKind')}</label>
              <select
                id={`${id}-kind`}
                value={authKind}
                onChange={(event) => setKind(event.target.value as 'smart-backend' | 'bearer')}
              >
                <option value="smart-backend">{t('ehr.smartBackend')}</option>
                <option value="bearer">{t('ehr.bearer')}</option>
              </select>
            </div>
            {authKind === 'bearer' ? (
              <div className="field">
                <label htmlFor={`${id}-token`}>{t('ehr.token')}</label>
                <input
                  id={`${id}-token`}
                  name="token"
                  type="password"
                  autoComplete="off"
                  required
                  aria-describedby={`${id}-token-hint`}
                />
                <p id={`${id}-token-hint`} className="hint">
                  {t(connection.hasBearerToken ? 'ehr.tokenKept' : 'ehr.tokenHint')}
                </p>
              </div>
            ) : (
              <>
                <div className="field">
                  <label htmlFor={`${id}-client`}>{t('ehr.clientId')}</label>
                  <input
                    id={`${id}-client`}
                    name="clientId"
                    required
                    defaultValue={connection.clientId ?? ''}
                  />
                </div>
                <div className="field">
                  <label htmlFor={`${id}-scopes`}>{t('ehr.scopes')}</label>
                  <input
                    id={`${id}-scopes`}
                    name="scopes"
                    required
                    defaultValue={connection.scopes.join(' ')}
                    aria-describedby={`${id}-scopes-hint`}
                  />
                  <p id={`${id}-scopes-hint`} className="hint">
                    {t('ehr.scopesHint')}
                  </p>
                </div>
              </>
            )}
            <button type="submit" className="button">
              {t('ehr.save')}
            </button>
          </form>
        </section>
      )}
    </div>
  );
}

import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { systemClientSchema, type Problem, type SystemClient } from '@safeconsult/protocol';
import { api } from '../api/http.js';
import { listIn, useApi } from '../api/use-api.js';
import { useSensitiveAction } from '../auth/reauthentication.js';
import { useSession } from '../auth/session-context.js';
import { useDateTime } from '../clinic/use-date-time.js';
import { TableRegion } from '../layout/table-region.js';
import { usePageTitle } from '../layout/use-page-title.js';
import { formText, formWords } from './audit/form-text.js';
import { ProblemMessage } from './problem-message.js';

const clientList = listIn('clients', systemClientSchema);

type Outcome =
  | { kind: 'registered'; clientId: string }
  | { kind: 'changed'; name: string; disabled: boolean }
  | { kind: 'refused'; problem: Problem };

/** A pasted key set as JSON, or nothing when it is not JSON at all (the server checks the rest). */
function parsedJwks(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Other systems allowed to call the FHIR API with a token of their own (SMART Backend Services):
 * the administrator registers each with its public keys and the most it may be granted, and
 * disables one that should stop at once.
 */
export function SystemClientsPage() {
  const { t } = useTranslation();
  const { session } = useSession();
  const when = useDateTime();
  const id = useId();
  const {
    data: clients,
    problem: loadProblem,
    reload,
  } = useApi('/api/admin/system-clients', clientList);
  const { run, prompt } = useSensitiveAction();
  const [outcome, setOutcome] = useState<Outcome>();
  usePageTitle('admin.systemClients');

  async function register(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const jwks = parsedJwks(formText(form, 'jwks'));
    if (jwks === undefined) {
      setOutcome({
        kind: 'refused',
        problem: { type: 'about:blank', title: '', status: 400, code: 'jwks_not_json' },
      });
      return;
    }
    const body = { name: formText(form, 'name'), jwks, scopes: formWords(form, 'scopes') };
    await run(
      () =>
        api<SystemClient>('/api/admin/system-clients', {
          method: 'POST',
          body,
          csrfToken: session?.csrfToken,
        }),
      (result) => {
        setOutcome(
          result.ok
            ? { kind: 'registered', clientId: result.data.clientId }
            : { kind: 'refused', problem: result.problem },
        );
        reload();
      },
    );
  }

  async function setDisabled(client: SystemClient, disabled: boolean) {
    await run(
      () =>
        api(`/api/admin/system-clients/${encodeURIComponent(client.clientId)}`, {
          method: 'PATCH',
          body: { disabled },
          csrfToken: session?.csrfToken,
        }),
      (result) => {
        setOutcome(
          result.ok
            ? { kind: 'changed', name: client.name, disabled }
            : { kind: 'refused', problem: result.problem },
        );
        reload();
      },
    );
  }

  return (
    <div className="page">
      <h1>{t('admin.systemClients')}</h1>
      <p className="lead">{t('admin.systemClientsText')}</p>
      {outcome && (
        <div className="outcome">
          {outcome.kind === 'refused' ? (
            <ProblemMessage
              problem={outcome.problem}
              fallbackKey="systemClients.failed"
              explanations={{
                jwks_not_json: t('systemClients.jwksNotJson'),
                // The server names the key it refused (a private one, an algorithm we do not take).
                ...(outcome.problem.errors?.some((e) => e.path.startsWith('jwks'))
                  ? { validation_failed: t('systemClients.keysRefused') }
                  : {}),
              }}
            />
          ) : (
            <p className="notice" role="status">
              {outcome.kind === 'registered'
                ? t('systemClients.registered', { clientId: outcome.clientId })
                : t(outcome.disabled ? 'systemClients.disabledNow' : 'systemClients.enabledNow', {
                    name: outcome.name,
                  })}
            </p>
          )}
        </div>
      )}
      {prompt}
      {loadProblem && <ProblemMessage problem={loadProblem} fallbackKey="systemClients.failed" />}
      {!clients ? null : clients.length === 0 ? (
        <p className="empty-state">{t('systemClients.empty')}</p>
      ) : (
        <TableRegion captionId={`${id}-caption`}>
          <table className="data-table">
            <caption id={`${id}-caption`}>{t('systemClients.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('staff.name')}</th>
                <th scope="col">{t('systemClients.clientId')}</th>
                <th scope="col">{t('systemClients.scopes')}</th>
                <th scope="col">{t('systemClients.registeredAt')}</th>
                <th scope="col">{t('staff.status')}</th>
              </tr>
            </thead>
            <tbody>
              {clients.map((c, i) => (
                <tr key={c.clientId}>
                  <th scope="row" id={`${id}-name-${i}`}>
                    {c.name}
                  </th>
                  <td>
                    <code>{c.clientId}</code>
                  </td>
                  <td>{c.scopes.join(' ')}</td>
                  <td>{when(c.createdAt)}</td>
                  <td>
                    {t(c.disabled ? 'systemClients.disabled' : 'systemClients.active')}
                    <button
                      type="button"
                      className="button button-secondary button-small cell-action"
                      aria-describedby={`${id}-name-${i}`}
                      onClick={() => void setDisabled(c, !c.disabled)}
                    >
                      {t(c.disabled ? 'systemClients.enable' : 'systemClients.disable')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
      <section className="card" aria-labelledby={`${id}-register`}>
        <h2 id={`${id}-register`}>{t('systemClients.register')}</h2>
        <form className="form stack" onSubmit={(event) => void register(event)}>
          <div className="field">
            <label htmlFor={`${id}-client-name`}>{t('staff.name')}</label>
            <input id={`${id}-client-name`} name="name" required maxLength={200} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-jwks`}>{t('systemClients.jwks')}</label>
            <textarea
              id={`${id}-jwks`}
              name="jwks"
              rows={6}
              required
              aria-describedby={`${id}-jwks-hint`}
            />
            <p id={`${id}-jwks-hint`} className="hint">
              {t('systemClients.jwksHint')}
            </p>
          </div>
          <div className="field">
            <label htmlFor={`${id}-scopes`}>{t('systemClients.scopes')}</label>
            <input
              id={`${id}-scopes`}
              name="scopes"
              required
              aria-describedby={`${id}-scopes-hint`}
            />
            <p id={`${id}-scopes-hint`} className="hint">
              {t('systemClients.scopesHint')}
            </p>
          </div>
          <button type="submit" className="button">
            {t('systemClients.registerButton')}
          </button>
        </form>
      </section>
    </div>
  );
}

import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  passkeyAddedSchema,
  passkeySummarySchema,
  type PasskeySummary,
  type Problem,
} from '@safeconsult/protocol';
import { api } from '../api/http.js';
import { listIn, useApi } from '../api/use-api.js';
import { useSensitiveAction } from '../auth/reauthentication.js';
import { useSession } from '../auth/session-context.js';
import { useDateTime } from '../clinic/use-date-time.js';
import { TableRegion } from '../layout/table-region.js';
import { PasskeyCreator } from './passkey-creator.js';
import { ProblemMessage } from './problem-message.js';
import { RecoveryCodes } from './recovery-codes.js';

const passkeyList = listIn('passkeys', passkeySummarySchema);

/** What the last change did, said above the list. */
type Outcome =
  | { kind: 'added'; name: string; recoveryCodes: string[] | null }
  | { kind: 'removed'; name: string }
  | { kind: 'refused'; problem: Problem };

/** The user's second factors: the authenticator app, and passkeys they add and remove. */
export function OwnSecondFactors({ authenticatorApp }: { authenticatorApp: boolean }) {
  const { t } = useTranslation();
  const { session, replaceSession, passkeysAvailable } = useSession();
  const when = useDateTime();
  const id = useId();
  const passkeys = useApi('/api/auth/passkeys', passkeyList);
  const { run, prompt } = useSensitiveAction();
  const [outcome, setOutcome] = useState<Outcome | undefined>(undefined);
  const outcomeRef = useRef<HTMLDivElement>(null);

  // A removed passkey's button goes with its row: focus goes to what happened instead.
  useEffect(() => {
    outcomeRef.current?.focus();
  }, [outcome]);

  function finish(next: Outcome) {
    setOutcome(next);
    passkeys.reload();
  }

  async function remove(passkey: PasskeySummary) {
    await run(
      () =>
        api(`/api/auth/passkeys/${encodeURIComponent(passkey.id)}`, {
          method: 'DELETE',
          csrfToken: session?.csrfToken,
        }),
      (result) =>
        finish(
          result.ok
            ? { kind: 'removed', name: passkey.name }
            : { kind: 'refused', problem: result.problem },
        ),
    );
  }

  function added(data: unknown) {
    const { passkey, recoveryCodes, session: next } = passkeyAddedSchema.parse(data);
    replaceSession(next);
    finish({ kind: 'added', name: passkey.name, recoveryCodes });
  }

  return (
    <section className="page-section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('account.factorsTitle')}</h2>
      <p>{t('account.factorsIntro')}</p>
      <dl className="card facts">
        <dt>{t('account.authenticatorApp')}</dt>
        <dd>{t(authenticatorApp ? 'account.appSetUp' : 'account.appNotSetUp')}</dd>
      </dl>
      {outcome && (
        <div ref={outcomeRef} tabIndex={-1} className="outcome">
          {outcome.kind === 'refused' ? (
            <ProblemMessage
              problem={outcome.problem}
              fallbackKey="account.failed"
              explanations={{
                conflict: t('passkeys.lastFactor'),
                not_found: t('passkeys.alreadyGone'),
              }}
            />
          ) : (
            <p className="notice" role="status">
              {t(outcome.kind === 'added' ? 'passkeys.added' : 'passkeys.removed', {
                name: outcome.name,
              })}
            </p>
          )}
          {outcome.kind === 'added' && outcome.recoveryCodes && (
            <>
              <p>{t('mfa.recoveryIntro')}</p>
              <RecoveryCodes codes={outcome.recoveryCodes} />
            </>
          )}
        </div>
      )}
      {prompt}
      {passkeys.data?.length === 0 && <p>{t('passkeys.none')}</p>}
      {passkeys.problem && (
        <ProblemMessage problem={passkeys.problem} fallbackKey="account.failed" />
      )}
      {!!passkeys.data?.length && (
        <TableRegion captionId={`${id}-caption`}>
          <table className="data-table">
            <caption id={`${id}-caption`}>{t('passkeys.caption', { zone: when.timeZone })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('staff.name')}</th>
                <th scope="col">{t('passkeys.created')}</th>
                <th scope="col">{t('passkeys.lastUsed')}</th>
                <th scope="col">{t('account.action')}</th>
              </tr>
            </thead>
            <tbody>
              {passkeys.data.map((p, i) => (
                <tr key={p.id}>
                  <th scope="row" id={`${id}-passkey-${i}`}>
                    {p.name}
                  </th>
                  <td>{when(p.createdAt)}</td>
                  <td>{p.lastUsedAt ? when(p.lastUsedAt) : t('passkeys.neverUsed')}</td>
                  <td>
                    <button
                      type="button"
                      className="button button-secondary button-small"
                      aria-describedby={`${id}-passkey-${i}`}
                      onClick={() => void remove(p)}
                    >
                      {t('passkeys.remove')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
      <h3>{t('passkeys.addTitle')}</h3>
      {passkeysAvailable && session ? (
        <PasskeyCreator
          csrfToken={session.csrfToken}
          onCreated={added}
          submitKey="mfa.createPasskey"
          run={run}
        />
      ) : (
        <p>{t('mfa.passkeyUnavailable')}</p>
      )}
    </section>
  );
}

import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  accessPolicyStateSchema,
  type AccessPolicyState,
  type Problem,
} from '@safeconsult/protocol';
import { api } from '../../api/http.js';
import { useSensitiveAction } from '../../auth/reauthentication.js';
import { useSession } from '../../auth/session-context.js';
import { useDateTime } from '../../clinic/use-date-time.js';
import { TableRegion } from '../../layout/table-region.js';
import { AdoptionProblem } from './adoption-problem.js';

/**
 * Every version of the access policy, newest first, with who adopted it and why. The security
 * officer rolls back by adopting an earlier version again, as a new version with its own note.
 */
export function PolicyHistory({
  state,
  canChange,
  onAdopted,
}: {
  state: AccessPolicyState;
  canChange: boolean;
  onAdopted: (adopted: AccessPolicyState) => void;
}) {
  const { t } = useTranslation();
  const { session } = useSession();
  const when = useDateTime();
  const id = useId();
  const { run, prompt } = useSensitiveAction();
  const [restoring, setRestoring] = useState<number | undefined>(undefined);
  const [problem, setProblem] = useState<Problem | undefined>(undefined);

  async function restore(event: FormEvent<HTMLFormElement>, version: number) {
    event.preventDefault();
    const note = new FormData(event.currentTarget).get('note');
    await run(
      () =>
        api<unknown>(`/api/access/policy/versions/${version}/restore`, {
          method: 'POST',
          body: { basedOn: state.version, note },
          csrfToken: session?.csrfToken,
        }),
      (result) => {
        if (result.ok) {
          setRestoring(undefined);
          onAdopted(accessPolicyStateSchema.parse(result.data));
        } else setProblem(result.problem);
      },
    );
  }

  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('accessPolicy.history')}</h2>
      <TableRegion captionId={`${id}-caption`}>
        <table className="data-table">
          <caption id={`${id}-caption`}>
            {t('accessPolicy.historyCaption', { zone: when.timeZone })}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('accessPolicy.version')}</th>
              <th scope="col">{t('accessPolicy.adopted')}</th>
              <th scope="col">{t('accessPolicy.by')}</th>
              <th scope="col">{t('accessPolicy.note')}</th>
              {canChange && <th scope="col">{t('account.action')}</th>}
            </tr>
          </thead>
          <tbody>
            {state.versions.map((v) => (
              <tr key={v.version} className={v.active ? 'row-current' : undefined}>
                <th scope="row" id={`${id}-v${v.version}`}>
                  {v.version}
                  {v.active && <span className="badge">{t('accessPolicy.inForce')}</span>}
                </th>
                <td>{when(v.createdAt)}</td>
                <td>{v.createdBy ?? t('accessPolicy.installation')}</td>
                <td>{v.note}</td>
                {canChange && (
                  <td>
                    {!v.active && (
                      <button
                        type="button"
                        className="button button-secondary button-small"
                        aria-describedby={`${id}-v${v.version}`}
                        onClick={() => {
                          setProblem(undefined);
                          setRestoring(v.version);
                        }}
                      >
                        {t('accessPolicy.restore')}
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
      {prompt}
      {restoring !== undefined && (
        <form
          className="card form"
          aria-labelledby={`${id}-restore`}
          onSubmit={(event) => void restore(event, restoring)}
        >
          <h3 id={`${id}-restore`}>{t('accessPolicy.restoreTitle', { version: restoring })}</h3>
          <p className="why">{t('accessPolicy.restoreWhy', { version: restoring })}</p>
          {problem && <AdoptionProblem problem={problem} />}
          <div className="field">
            <label htmlFor={`${id}-restore-note`}>{t('accessPolicy.noteLabel')}</label>
            <input
              id={`${id}-restore-note`}
              name="note"
              required
              minLength={3}
              maxLength={500}
              autoComplete="off"
            />
          </div>
          <div className="actions">
            <button type="submit" className="button">
              {t('accessPolicy.restoreConfirm', { version: restoring })}
            </button>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => setRestoring(undefined)}
            >
              {t('reauth.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

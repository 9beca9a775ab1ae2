import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { careTeamMemberSchema, type Problem } from '@safeconsult/protocol';
import { api, type ApiResult } from '../../api/http.js';
import { listIn, useApi } from '../../api/use-api.js';
import { useStaffDirectory } from '../../api/use-staff-directory.js';
import { useSession } from '../../auth/session-context.js';
import { useDateTime } from '../../clinic/use-date-time.js';
import { TableRegion } from '../../layout/table-region.js';
import { ProblemMessage } from '../problem-message.js';

const MEMBERS = listIn('members', careTeamMemberSchema);

/**
 * The patient's care team, for those who manage it (the server refuses the others, and the panel
 * is then left out). Being on the team opens the record, so each change may open or close it for
 * someone: `onChanged` lets the page load what the reader may see now.
 */
export function CareTeamPanel({
  patientId,
  onChanged,
}: {
  patientId: string;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const { session } = useSession();
  const when = useDateTime();
  const id = useId();
  const path = `/api/patients/${encodeURIComponent(patientId)}/care-team`;
  const { data: members, problem: loadProblem, reload } = useApi(path, MEMBERS);
  const directory = useStaffDirectory();
  const [outcome, setOutcome] = useState<'added' | 'removed' | Problem | undefined>(undefined);

  if (loadProblem || !members) return null;
  const candidates = directory.staff.filter(
    (s) =>
      (s.role === 'clinician' || s.role === 'nurse') && !members.some((m) => m.userId === s.userId),
  );

  async function change(call: Promise<ApiResult<unknown>>, done: 'added' | 'removed') {
    const result = await call;
    setOutcome(result.ok ? done : result.problem);
    if (result.ok) {
      reload();
      onChanged();
    }
  }

  function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const userId = new FormData(event.currentTarget).get('userId');
    void change(
      api(path, { method: 'POST', body: { userId }, csrfToken: session?.csrfToken }),
      'added',
    );
  }

  function remove(userId: string) {
    void change(
      api(`${path}/${encodeURIComponent(userId)}`, {
        method: 'DELETE',
        csrfToken: session?.csrfToken,
      }),
      'removed',
    );
  }

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('careTeam.title')}</h2>
      <p className="why">{t('careTeam.why')}</p>
      {outcome === 'added' || outcome === 'removed' ? (
        <p className="notice" role="status">
          {t(outcome === 'added' ? 'careTeam.added' : 'careTeam.removed')}
        </p>
      ) : (
        outcome && <ProblemMessage problem={outcome} fallbackKey="careTeam.failed" />
      )}
      {members.length === 0 ? (
        <p>{t('careTeam.empty')}</p>
      ) : (
        <TableRegion captionId={`${id}-caption`}>
          <table className="data-table">
            <caption id={`${id}-caption`}>{t('careTeam.caption', { zone: when.timeZone })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('staff.name')}</th>
                <th scope="col">{t('staff.role')}</th>
                <th scope="col">{t('careTeam.since')}</th>
                <th scope="col">{t('account.action')}</th>
              </tr>
            </thead>
            <tbody>
              {members.map((m, i) => (
                <tr key={m.userId}>
                  <th scope="row" id={`${id}-member-${i}`}>
                    {m.displayName}
                  </th>
                  <td>{t(`roles.${m.role}`)}</td>
                  <td>{when(m.addedAt)}</td>
                  <td>
                    <button
                      type="button"
                      className="button button-secondary button-small"
                      aria-describedby={`${id}-member-${i}`}
                      onClick={() => remove(m.userId)}
                    >
                      {t('careTeam.remove')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
      {directory.unavailable ? (
        <p className="hint">{t('careTeam.noDirectory')}</p>
      ) : (
        <form className="form form-row" onSubmit={add}>
          <div className="field">
            <label htmlFor={`${id}-add`}>{t('careTeam.addWho')}</label>
            <select id={`${id}-add`} name="userId" required>
              {candidates.map((s) => (
                <option key={s.userId} value={s.userId}>
                  {s.displayName} ({t(`roles.${s.role}`)})
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="button" disabled={candidates.length === 0}>
            {t('careTeam.add')}
          </button>
        </form>
      )}
    </section>
  );
}

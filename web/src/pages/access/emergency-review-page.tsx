import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { emergencyGrantSchema, type EmergencyGrant, type Problem } from '@safeconsult/protocol';
import { api } from '../../api/http.js';
import { listIn, useApi } from '../../api/use-api.js';
import { useSession } from '../../auth/session-context.js';
import { useDateTime } from '../../clinic/use-date-time.js';
import { useNow } from '../../clinic/use-now.js';
import { usePageTitle } from '../../layout/use-page-title.js';
import { ProblemMessage } from '../problem-message.js';
import { reachPagePath } from './reach-page.js';

const GRANTS = listIn('grants', emergencyGrantSchema);

/** One emergency access: who, when, why, and its review or the form to record one. */
function GrantReview({ grant, onReviewed }: { grant: EmergencyGrant; onReviewed: () => void }) {
  const { t } = useTranslation();
  const { session } = useSession();
  const when = useDateTime();
  const id = useId();
  const [problem, setProblem] = useState<Problem | undefined>(undefined);
  const now = useNow(30_000);
  const lasting = Date.parse(grant.expiresAt) > now.getTime();

  async function review(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const note = new FormData(event.currentTarget).get('note');
    const result = await api(`/api/access/emergency/${encodeURIComponent(grant.id)}/review`, {
      method: 'POST',
      body: { note },
      csrfToken: session?.csrfToken,
    });
    if (result.ok) onReviewed();
    else setProblem(result.problem);
  }

  return (
    <article
      className={grant.reviewedAt ? 'card grant' : 'card grant grant-open'}
      aria-labelledby={`${id}-title`}
    >
      <h2 id={`${id}-title`}>
        {t('emergencyReview.who', { name: grant.displayName, when: when(grant.startedAt) })}
        {!grant.reviewedAt && (
          <span className="badge badge-alert">{t('emergencyReview.unreviewed')}</span>
        )}
        {lasting && <span className="badge">{t('emergencyReview.lasting')}</span>}
      </h2>
      <dl className="facts">
        <dt>{t('emergencyReview.reason')}</dt>
        <dd>{grant.reason}</dd>
        <dt>{t(lasting ? 'emergencyReview.ends' : 'emergencyReview.ended')}</dt>
        <dd>{when(grant.expiresAt)}</dd>
        {grant.reviewedAt && (
          <>
            <dt>{t('emergencyReview.review')}</dt>
            <dd>
              {t('emergencyReview.reviewedBy', {
                name: grant.reviewedBy ?? '—',
                when: when(grant.reviewedAt),
              })}
              <br />
              {grant.reviewNote}
            </dd>
          </>
        )}
      </dl>
      <p>
        <Link to={reachPagePath(grant.patientId)}>{t('emergencyReview.reachLink')}</Link>
      </p>
      {!grant.reviewedAt && (
        <form className="form" onSubmit={(event) => void review(event)}>
          {problem && (
            <ProblemMessage
              problem={problem}
              fallbackKey={
                problem.code === 'conflict' ? 'emergencyReview.already' : 'emergencyReview.failed'
              }
            />
          )}
          <div className="field">
            <label htmlFor={`${id}-note`}>{t('emergencyReview.note')}</label>
            <textarea
              id={`${id}-note`}
              name="note"
              required
              minLength={3}
              maxLength={1000}
              rows={2}
              aria-describedby={`${id}-hint`}
            />
            <p className="hint" id={`${id}-hint`}>
              {t('emergencyReview.noteHint')}
            </p>
          </div>
          <div className="actions">
            <button type="submit" className="button">
              {t('emergencyReview.record')}
            </button>
          </div>
        </form>
      )}
    </article>
  );
}

/**
 * The security officer reviews every emergency access: the unreviewed first, so that nothing
 * waits unseen, then the reviewed ones with their notes.
 */
export function EmergencyReviewPage() {
  const { t } = useTranslation();
  const { data: grants, problem, reload } = useApi('/api/access/emergency', GRANTS);
  const [reviewed, setReviewed] = useState(false);
  usePageTitle('admin.emergency');
  const open = grants?.filter((g) => !g.reviewedAt).length ?? 0;

  return (
    <div className="page stack">
      <h1>{t('admin.emergency')}</h1>
      <p className="lead">{t('admin.emergencyText')}</p>
      {problem && (
        <p className="error" role="alert">
          {t('emergencyReview.loadFailed')}
        </p>
      )}
      {grants && (
        <p role="status" className={reviewed ? 'notice' : undefined}>
          {reviewed && `${t('emergencyReview.saved')} `}
          {grants.length === 0
            ? t('emergencyReview.none')
            : t('emergencyReview.waiting', { open, total: grants.length })}
        </p>
      )}
      {grants?.map((g) => (
        <GrantReview
          key={g.id}
          grant={g}
          onReviewed={() => {
            setReviewed(true);
            reload();
          }}
        />
      ))}
    </div>
  );
}

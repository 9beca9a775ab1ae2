import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  consentDirectiveSchema,
  SENSITIVITY_LABEL_CODES,
  type ConsentDirective,
  type Problem,
} from '@safeconsult/protocol';
import { api, type ApiResult } from '../../api/http.js';
import { listIn, useApi } from '../../api/use-api.js';
import { useStaffDirectory } from '../../api/use-staff-directory.js';
import { useSession } from '../../auth/session-context.js';
import { useDateTime } from '../../clinic/use-date-time.js';
import { ProblemMessage } from '../problem-message.js';

const DIRECTIVES = listIn('directives', consentDirectiveSchema);

type Kind = ConsentDirective['kind'];

/**
 * The patient's consent directives: a member of staff they refuse, or sensitive content they
 * withhold from all staff. They outrank every permit, emergency access included, so each change
 * may close or open parts of the record: `onChanged` lets the page load it again.
 */
export function ConsentPanel({
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
  const path = `/api/patients/${encodeURIComponent(patientId)}/consent-directives`;
  const { data: directives, problem: loadProblem, reload } = useApi(path, DIRECTIVES);
  const directory = useStaffDirectory();
  const [kind, setKind] = useState<Kind>('withhold_label');
  const [outcome, setOutcome] = useState<'added' | 'revoked' | Problem | undefined>(undefined);

  if (loadProblem || !directives) return null;

  async function change(call: Promise<ApiResult<unknown>>, done: 'added' | 'revoked') {
    const result = await call;
    setOutcome(result.ok ? done : result.problem);
    if (result.ok) {
      reload();
      onChanged();
    }
  }

  function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const body =
      kind === 'exclude_staff'
        ? { kind, userId: form.get('userId') }
        : { kind, label: form.get('label') };
    void change(api(path, { method: 'POST', body, csrfToken: session?.csrfToken }), 'added');
  }

  function revoke(directiveId: string) {
    void change(
      api(`${path}/${encodeURIComponent(directiveId)}`, {
        method: 'DELETE',
        csrfToken: session?.csrfToken,
      }),
      'revoked',
    );
  }

  const describe = (d: ConsentDirective) =>
    d.kind === 'exclude_staff'
      ? t('consent.excludes', { name: d.displayName ?? '—' })
      : t('consent.withholds', { label: d.label ? t(`sensitivity.${d.label}`) : '—' });

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('consent.title')}</h2>
      <p className="why">{t('consent.why')}</p>
      {outcome === 'added' || outcome === 'revoked' ? (
        <p className="notice" role="status">
          {t(outcome === 'added' ? 'consent.added' : 'consent.revoked')}
        </p>
      ) : (
        outcome && <ProblemMessage problem={outcome} fallbackKey="consent.failed" />
      )}
      {directives.length === 0 ? (
        <p>{t('consent.none')}</p>
      ) : (
        <ul className="directives">
          {directives.map((d, i) => (
            <li key={d.id}>
              <span id={`${id}-directive-${i}`}>{describe(d)}</span>{' '}
              <span className="muted">{t('consent.recorded', { when: when(d.recordedAt) })}</span>
              <button
                type="button"
                className="button button-secondary button-small"
                aria-describedby={`${id}-directive-${i}`}
                onClick={() => revoke(d.id)}
              >
                {t('consent.revoke')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="form form-row" onSubmit={add}>
        <div className="field">
          <label htmlFor={`${id}-kind`}>{t('consent.newKind')}</label>
          <select
            id={`${id}-kind`}
            value={kind}
            onChange={(event) => setKind(event.target.value as Kind)}
          >
            <option value="withhold_label">{t('consent.kindWithhold')}</option>
            <option value="exclude_staff">{t('consent.kindExclude')}</option>
          </select>
        </div>
        {kind === 'withhold_label' ? (
          <div className="field">
            <label htmlFor={`${id}-label`}>{t('consent.label')}</label>
            <select id={`${id}-label`} name="label">
              {SENSITIVITY_LABEL_CODES.map((code) => (
                <option key={code} value={code}>
                  {t(`sensitivity.${code}`)}
                </option>
              ))}
            </select>
          </div>
        ) : directory.unavailable ? (
          <p className="hint">{t('consent.noDirectory')}</p>
        ) : (
          <div className="field">
            <label htmlFor={`${id}-staff`}>{t('consent.staff')}</label>
            <select id={`${id}-staff`} name="userId" required>
              {directory.staff.map((s) => (
                <option key={s.userId} value={s.userId}>
                  {s.displayName} ({t(`roles.${s.role}`)})
                </option>
              ))}
            </select>
          </div>
        )}
        <button
          type="submit"
          className="button"
          disabled={kind === 'exclude_staff' && directory.unavailable}
        >
          {t('consent.add')}
        </button>
      </form>
    </section>
  );
}

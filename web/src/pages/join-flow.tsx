import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  invitationPreviewSchema,
  participantSessionSchema,
  type InvitationPreview,
  type ParticipantSession,
  type Problem,
} from '@safeconsult/protocol';
import { api } from '../api/http.js';

function useWhen() {
  const { i18n } = useTranslation();
  return (iso: string) =>
    new Intl.DateTimeFormat(i18n.language, { dateStyle: 'full', timeStyle: 'short' }).format(
      new Date(iso),
    );
}

/**
 * The invitation's promise before joining: who, when, and the check that keeps it personal.
 * `before` holds the steps that come first (devices, consent); the identity check waits for them.
 */
export function InvitationStep({
  token,
  onJoined,
  before,
}: {
  token: string;
  onJoined: (session: ParticipantSession) => void;
  before?: ReactNode;
}) {
  const { t } = useTranslation();
  const when = useWhen();
  const id = useId();
  const [preview, setPreview] = useState<InvitationPreview | undefined>(undefined);
  const [problem, setProblem] = useState<Problem | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void api<unknown>('/api/join/inspect', { method: 'POST', body: { token } }).then((result) => {
      if (result.ok) setPreview(invitationPreviewSchema.parse(result.data));
      else setProblem(result.problem);
    });
  }, [token]);

  async function join(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const birthDate = new FormData(event.currentTarget).get('birthDate');
    setBusy(true);
    const result = await api<unknown>('/api/join', {
      method: 'POST',
      body: { token, ...(typeof birthDate === 'string' && birthDate ? { birthDate } : {}) },
    });
    setBusy(false);
    if (result.ok) onJoined(participantSessionSchema.parse(result.data));
    else setProblem(result.problem);
  }

  if (!preview) {
    if (!problem) return <p role="status">{t('join.checkingLink')}</p>;
    return (
      <div className="card" role="alert">
        <h2>{t('join.linkInvalidTitle')}</h2>
        <p>{t('join.linkInvalid')}</p>
      </div>
    );
  }
  const wrongAnswer = problem?.code === 'identity_check_failed';
  return (
    <section className="card form" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>
        {t('join.with', { clinician: preview.clinicianName, clinic: preview.clinicName })}
      </h2>
      <p>{t('join.when', { when: when(preview.startsAt), minutes: preview.durationMinutes })}</p>
      {preview.companionName && <p>{t('join.companion', { name: preview.companionName })}</p>}
      {before ?? (
        <form className="form" onSubmit={(event) => void join(event)}>
          {problem && (
            <p className="error" role="alert" id={`${id}-error`}>
              {wrongAnswer
                ? t('join.wrongBirthDate', {
                    left: /(\d+) tries left/.exec(problem.detail ?? '')?.[1] ?? '?',
                  })
                : problem.code === 'token_invalid'
                  ? t('join.linkInvalid')
                  : t('join.failed')}
            </p>
          )}
          {preview.identityCheck === 'date_of_birth' && (
            <div className="field">
              <label htmlFor={`${id}-dob`}>{t('join.birthDate')}</label>
              <input
                id={`${id}-dob`}
                name="birthDate"
                type="date"
                required
                autoComplete="bday"
                aria-describedby={`${id}-dob-why${problem ? ` ${id}-error` : ''}`}
              />
              <p className="why" id={`${id}-dob-why`}>
                {t('join.birthDateWhy')}
              </p>
            </div>
          )}
          <button type="submit" className="button" disabled={busy}>
            {t('join.enter')}
          </button>
        </form>
      )}
    </section>
  );
}

/** Where a participant waits until the clinician lets them in. */
export function WaitingRoom({
  session,
  onLeft,
}: {
  session: ParticipantSession;
  onLeft: () => void;
}) {
  const { t } = useTranslation();
  const when = useWhen();
  async function leave() {
    await api('/api/join/leave', { method: 'POST', csrfToken: session.csrfToken });
    onLeft();
  }
  return (
    <section className="card card-protection" aria-labelledby="waiting-title">
      <h2 id="waiting-title">{t('join.waitingTitle')}</h2>
      <p role="status">{t('join.waiting', { clinician: session.clinicianName })}</p>
      <p>{t('join.scheduled', { when: when(session.startsAt) })}</p>
      <button type="button" className="button button-secondary" onClick={() => void leave()}>
        {t('join.leave')}
      </button>
    </section>
  );
}

/** A participant session this browser already holds, if any. */
export function useParticipantSession() {
  const [session, setSession] = useState<ParticipantSession | null | undefined>(undefined);
  useEffect(() => {
    void api<{ session: unknown }>('/api/join/session').then((result) => {
      setSession(
        result.ok && result.data.session
          ? participantSessionSchema.parse(result.data.session)
          : null,
      );
    });
  }, []);
  return [session, setSession] as const;
}

import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  MFA_REQUIREMENTS,
  PATIENT_IDENTITY_CHECKS,
  STAFF_ROLES,
  securityPolicyStateSchema,
  type Problem,
  type SecurityPolicy,
  type SecurityPolicyState,
} from '@safeconsult/protocol';
import { api } from '../api/http.js';
import { useSensitiveAction } from '../auth/reauthentication.js';
import { useSession } from '../auth/session-context.js';
import { usePageTitle } from '../layout/use-page-title.js';

/** One rule of the policy: its control, and a sentence on why it is there. */
function Rule({
  id,
  label,
  why,
  children,
}: {
  id: string;
  label: string;
  why: string;
  children: React.ReactNode;
}) {
  return (
    <div className="policy-rule">
      <label htmlFor={id}>{label}</label>
      {children}
      <p className="why" id={`${id}-why`}>
        {why}
      </p>
    </div>
  );
}

function NumberRule({
  id,
  name,
  value,
  min,
  max,
  label,
  why,
}: {
  id: string;
  name: string;
  value: number;
  min: number;
  max: number;
  label: string;
  why: string;
}) {
  return (
    <Rule id={id} label={label} why={why}>
      <input
        id={id}
        name={name}
        type="number"
        inputMode="numeric"
        min={min}
        max={max}
        required
        defaultValue={value}
        aria-describedby={`${id}-why`}
      />
    </Rule>
  );
}

function policyFrom(form: FormData): SecurityPolicy {
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === 'string' ? value : '';
  };
  const num = (name: string) => Number(text(name));
  return {
    password: {
      minLengthSingleFactor: num('minLengthSingleFactor'),
      minLengthWithMfa: num('minLengthWithMfa'),
    },
    mfa: Object.fromEntries(
      STAFF_ROLES.map((role) => [role, text(`mfa-${role}`)]),
    ) as SecurityPolicy['mfa'],
    session: { idleMinutes: num('idleMinutes'), maxHours: num('maxHours') },
    patients: {
      identityCheck: text('identityCheck') as SecurityPolicy['patients']['identityCheck'],
    },
  };
}

export function SecurityPolicyPage() {
  const { t, i18n } = useTranslation();
  const { session } = useSession();
  const id = useId();
  const [state, setState] = useState<SecurityPolicyState | undefined>(undefined);
  const [notice, setNotice] = useState<'saved' | Problem | undefined>(undefined);
  const { run, prompt } = useSensitiveAction();
  usePageTitle('policy.title');
  // The console's role gate shows this page to administrators and the security officer.
  const canChange = session?.user.role === 'security_officer';

  useEffect(() => {
    void api<unknown>('/api/security/policy').then((result) => {
      if (result.ok) setState(securityPolicyStateSchema.parse(result.data));
    });
  }, []);

  if (!state) return <p role="status">{t('policy.loading')}</p>;
  const { policy } = state;

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!state) return;
    const body = { policy: policyFrom(new FormData(event.currentTarget)), version: state.version };
    await run(
      () =>
        api<unknown>('/api/security/policy', {
          method: 'PUT',
          body,
          csrfToken: session?.csrfToken,
        }),
      (result) => {
        if (result.ok) {
          setState(securityPolicyStateSchema.parse(result.data));
          setNotice('saved');
        } else setNotice(result.problem);
      },
    );
  }

  const updated = new Intl.DateTimeFormat(i18n.language, {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(state.updatedAt));
  return (
    <div className="page">
      <h1>{t('policy.title')}</h1>
      <p className="lead">{t('policy.lead')}</p>
      <p>
        {state.updatedBy
          ? t('policy.versionBy', {
              version: state.version,
              when: updated,
              name: state.updatedBy.displayName,
            })
          : t('policy.versionInitial', { version: state.version, when: updated })}
      </p>
      {!canChange && <p className="notice">{t('policy.readOnly')}</p>}
      {notice && (
        <p className={notice === 'saved' ? 'notice' : 'error'} role="status">
          {notice === 'saved'
            ? t('policy.saved')
            : notice.code === 'conflict'
              ? t('policy.conflict')
              : (notice.errors
                  ?.map((e) => `${e.path.replace(/^body\.policy\./, '')}: ${e.message}`)
                  .join('; ') ??
                notice.detail ??
                notice.title)}
        </p>
      )}
      {prompt}
      <form key={state.version} className="form" onSubmit={(event) => void save(event)}>
        <fieldset className="policy" disabled={!canChange}>
          <section className="card" aria-labelledby={`${id}-passwords`}>
            <h2 id={`${id}-passwords`}>{t('policy.passwords')}</h2>
            <NumberRule
              id={`${id}-single`}
              name="minLengthSingleFactor"
              value={policy.password.minLengthSingleFactor}
              min={15}
              max={64}
              label={t('policy.minLengthSingleFactor')}
              why={t('policy.minLengthSingleFactorWhy')}
            />
            <NumberRule
              id={`${id}-mfa`}
              name="minLengthWithMfa"
              value={policy.password.minLengthWithMfa}
              min={8}
              max={64}
              label={t('policy.minLengthWithMfa')}
              why={t('policy.minLengthWithMfaWhy')}
            />
            <p className="why">{t('policy.noRotationWhy')}</p>
          </section>
          <section className="card" aria-labelledby={`${id}-factors`}>
            <h2 id={`${id}-factors`}>{t('policy.secondFactor')}</h2>
            <p className="why">{t('policy.secondFactorWhy')}</p>
            {STAFF_ROLES.map((r) => (
              <Rule
                key={r}
                id={`${id}-mfa-${r}`}
                label={t(`roles.${r}`)}
                why={t(`policy.roleWhy.${r}`)}
              >
                <select
                  id={`${id}-mfa-${r}`}
                  name={`mfa-${r}`}
                  defaultValue={policy.mfa[r]}
                  aria-describedby={`${id}-mfa-${r}-why`}
                >
                  {MFA_REQUIREMENTS.map((m) => (
                    <option key={m} value={m}>
                      {t(`policy.requirement.${m}`)}
                    </option>
                  ))}
                </select>
              </Rule>
            ))}
          </section>
          <section className="card" aria-labelledby={`${id}-sessions`}>
            <h2 id={`${id}-sessions`}>{t('policy.sessions')}</h2>
            <NumberRule
              id={`${id}-idle`}
              name="idleMinutes"
              value={policy.session.idleMinutes}
              min={1}
              max={1440}
              label={t('policy.idleMinutes')}
              why={t('policy.idleMinutesWhy')}
            />
            <NumberRule
              id={`${id}-max`}
              name="maxHours"
              value={policy.session.maxHours}
              min={1}
              max={168}
              label={t('policy.maxHours')}
              why={t('policy.maxHoursWhy')}
            />
          </section>
          <section className="card" aria-labelledby={`${id}-patients`}>
            <h2 id={`${id}-patients`}>{t('policy.patients')}</h2>
            <Rule
              id={`${id}-identity`}
              label={t('policy.identityCheck')}
              why={t('policy.identityCheckWhy')}
            >
              <select
                id={`${id}-identity`}
                name="identityCheck"
                defaultValue={policy.patients.identityCheck}
                aria-describedby={`${id}-identity-why`}
              >
                {PATIENT_IDENTITY_CHECKS.map((c) => (
                  <option key={c} value={c}>
                    {t(`policy.identityChecks.${c}`)}
                  </option>
                ))}
              </select>
            </Rule>
          </section>
          {canChange && (
            <div className="actions">
              <button type="submit" className="button">
                {t('policy.save')}
              </button>
            </div>
          )}
        </fieldset>
      </form>
    </div>
  );
}

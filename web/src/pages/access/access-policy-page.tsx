import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { accessPolicyStateSchema } from '@safeconsult/protocol';
import { useApi } from '../../api/use-api.js';
import { useSession } from '../../auth/session-context.js';
import { useDateTime } from '../../clinic/use-date-time.js';
import { usePageTitle } from '../../layout/use-page-title.js';
import { PolicyEditor } from './policy-editor.js';
import { PolicyHistory } from './policy-history.js';
import { PolicyFiles } from './policy-source.js';

/**
 * The access policy in force, readable by administrators and the security officer; the security
 * officer also tries changes and adopts them, or rolls back to an earlier version.
 */
export function AccessPolicyPage() {
  const { t } = useTranslation();
  const { session } = useSession();
  const when = useDateTime();
  const { data: state, problem, reload } = useApi('/api/access/policy', accessPolicyStateSchema);
  const [adopted, setAdopted] = useState<number | undefined>(undefined);
  usePageTitle('admin.policy');
  // Administrators read the policy; the security officer changes it (policy `security-settings`).
  const canChange = session?.user.role === 'security_officer';

  const onAdopted = (version: number) => {
    setAdopted(version);
    reload();
  };

  if (problem) {
    return (
      <p className="error" role="alert">
        {t('accessPolicy.loadFailed')}
      </p>
    );
  }
  if (!state) return <p role="status">{t('accessPolicy.loading')}</p>;
  const current = state.versions.find((v) => v.active);

  return (
    <div className="page stack">
      <h1>{t('admin.policy')}</h1>
      <p className="lead">{t('accessPolicy.lead')}</p>
      {current && (
        <p>
          {current.createdBy
            ? t('accessPolicy.versionBy', {
                version: current.version,
                when: when(current.createdAt),
                name: current.createdBy,
              })
            : t('accessPolicy.versionInitial', {
                version: current.version,
                when: when(current.createdAt),
              })}
        </p>
      )}
      {adopted !== undefined && (
        <p className="notice" role="status">
          {t('accessPolicy.nowInForce', { version: adopted })}
        </p>
      )}
      {!canChange && <p className="notice">{t('accessPolicy.readOnly')}</p>}
      <section aria-labelledby="policy-files-title">
        <h2 id="policy-files-title">{t('accessPolicy.filesTitle')}</h2>
        <p className="why">{t('accessPolicy.filesWhy')}</p>
        <PolicyFiles files={state.files} schema={state.schema} />
      </section>
      <PolicyHistory
        state={state}
        canChange={canChange}
        onAdopted={(next) => onAdopted(next.version)}
      />
      {canChange && (
        <PolicyEditor
          key={state.version}
          state={state}
          onAdopted={(next) => onAdopted(next.version)}
        />
      )}
    </div>
  );
}

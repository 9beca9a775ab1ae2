import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { StaffRole } from '@safeconsult/protocol';
import { mayUse } from '../auth/may-use.js';
import { useSession } from '../auth/session-context.js';
import { usePageTitle } from '../layout/use-page-title.js';

interface SectionPageProps {
  titleKey: string;
  textKey: string;
  signInKey: string;
  /** The roles that use the page; any staff role when absent. */
  roles?: readonly StaffRole[] | undefined;
}

/**
 * A page as it stands before sign-in, for a role that does not use it, or before it is built:
 * what it is for, and the way in.
 */
export function SectionPage({ titleKey, textKey, signInKey, roles }: SectionPageProps) {
  const { t } = useTranslation();
  const { session } = useSession();
  usePageTitle(titleKey);
  const notForRole = session?.stage === 'full' && !mayUse(session, roles);
  return (
    <div className="page">
      <h1>{t(titleKey)}</h1>
      <p className="lead">{t(textKey)}</p>
      <div className="empty-state">
        {session ? (
          <p>{t(notForRole ? 'console.notForRole' : 'console.signedInText')}</p>
        ) : (
          <>
            <p>{t(signInKey)}</p>
            <Link className="button" to="/sign-in">
              {t('console.signInAction')}
            </Link>
          </>
        )}
      </div>
    </div>
  );
}

/** Shows `children` to a signed-in user whose role uses them; anyone else sees what they are for. */
export function RoleGate({ children, ...page }: SectionPageProps & { children: ReactNode }) {
  const { session } = useSession();
  return mayUse(session, page.roles) ? children : <SectionPage {...page} />;
}

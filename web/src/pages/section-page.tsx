import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../auth/session-context.js';
import { usePageTitle } from '../layout/use-page-title.js';

interface SectionPageProps {
  titleKey: string;
  textKey: string;
  signInKey: string;
}

/** A console section as it stands before sign-in: what it is for, and the way in. */
export function SectionPage({ titleKey, textKey, signInKey }: SectionPageProps) {
  const { t } = useTranslation();
  const { session } = useSession();
  usePageTitle(titleKey);
  return (
    <div className="page">
      <h1>{t(titleKey)}</h1>
      <p className="lead">{t(textKey)}</p>
      <div className="empty-state">
        {session ? (
          <p>{t('console.signedInText')}</p>
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

import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { usePageTitle } from '../layout/use-page-title.js';

export function NotFoundPage() {
  const { t } = useTranslation();
  usePageTitle('notFound.title');
  return (
    <div className="page page-narrow">
      <h1>{t('notFound.heading')}</h1>
      <p>{t('notFound.text')}</p>
      <Link className="button" to="/">
        {t('notFound.home')}
      </Link>
    </div>
  );
}

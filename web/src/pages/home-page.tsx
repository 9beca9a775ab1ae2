import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useClinic } from '../clinic/clinic-context.js';
import { usePageTitle } from '../layout/use-page-title.js';

export function HomePage() {
  const { t } = useTranslation();
  const clinic = useClinic();
  usePageTitle('home.title');
  return (
    <div className="page">
      <h1>{t('home.heading', { clinic: clinic?.name ?? t('app.name') })}</h1>
      <p className="lead">{t('home.intro')}</p>
      <div className="card-grid">
        <section className="card" aria-labelledby="home-patient">
          <h2 id="home-patient">{t('home.patientTitle')}</h2>
          <p>{t('home.patientText')}</p>
          <Link className="button" to="/join">
            {t('home.patientAction')}
          </Link>
        </section>
        <section className="card" aria-labelledby="home-staff">
          <h2 id="home-staff">{t('home.staffTitle')}</h2>
          <p>{t('home.staffText')}</p>
          <Link className="button button-secondary" to="/sign-in">
            {t('home.staffAction')}
          </Link>
        </section>
      </div>
    </div>
  );
}

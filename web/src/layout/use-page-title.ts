import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useClinic } from '../clinic/clinic-context.js';

/** Sets the document title to "<page> — <clinic>", in the current language. */
export function usePageTitle(titleKey: string): void {
  const { t } = useTranslation();
  const clinic = useClinic();
  const title = t(titleKey);
  const site = clinic?.name ?? t('app.name');
  useEffect(() => {
    document.title = `${title} — ${site}`;
  }, [title, site]);
}

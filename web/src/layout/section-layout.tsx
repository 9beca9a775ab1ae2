import { useTranslation } from 'react-i18next';
import { NavLink, Outlet } from 'react-router';

export interface Section {
  path: string;
  labelKey: string;
}

/** A console with its own section navigation beside the content (clinician, admin). */
export function SectionLayout({ sections, labelKey }: { sections: Section[]; labelKey: string }) {
  const { t } = useTranslation();
  return (
    <div className="section-layout">
      <nav aria-label={t(labelKey)} className="section-nav">
        <ul>
          {sections.map((s) => (
            <li key={s.path}>
              <NavLink to={s.path} end>
                {t(s.labelKey)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="section-content">
        <Outlet />
      </div>
    </div>
  );
}

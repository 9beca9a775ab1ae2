import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet } from 'react-router';
import type { StaffRole } from '@safeconsult/protocol';
import { mayUse } from '../auth/may-use.js';
import { useSession } from '../auth/session-context.js';

export interface Section {
  path: string;
  labelKey: string;
  /** What the section is for, shown until it is built and to those who may not use it. */
  textKey: string;
  /** The roles that use the section; any staff role when absent. */
  roles?: readonly StaffRole[];
  /** A section with its own page; the others show what they are for until they are built. */
  page?: ReactElement;
}

/**
 * A console with its own section navigation beside the content (clinician, admin). A signed-in
 * user sees only the sections of their role; before sign-in every section says what it is for.
 */
export function SectionLayout({ sections, labelKey }: { sections: Section[]; labelKey: string }) {
  const { t } = useTranslation();
  const { session } = useSession();
  const shown =
    session?.stage === 'full' ? sections.filter((s) => mayUse(session, s.roles)) : sections;
  if (shown.length === 0) return <Outlet />;
  return (
    <div className="section-layout">
      <nav aria-label={t(labelKey)} className="section-nav">
        <ul>
          {shown.map((s) => (
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

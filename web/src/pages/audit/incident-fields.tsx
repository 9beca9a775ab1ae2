import { useTranslation } from 'react-i18next';

/** Title, time of awareness and scope: the fields an incident is opened and changed with. */
export function IncidentFields({
  id,
  timeZone,
  discoveredAt,
  title = '',
  scope = '',
}: {
  id: string;
  timeZone: string;
  discoveredAt: string;
  title?: string;
  scope?: string;
}) {
  const { t } = useTranslation();
  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-title`}>{t('incidents.titleField')}</label>
        <input
          id={`${id}-title`}
          name="title"
          required
          minLength={3}
          maxLength={200}
          defaultValue={title}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-discovered`}>
          {t('incidents.discoveredField', { zone: timeZone })}
        </label>
        <input
          id={`${id}-discovered`}
          name="discoveredAt"
          type="datetime-local"
          required
          defaultValue={discoveredAt}
          aria-describedby={`${id}-discovered-hint`}
        />
        <p className="hint" id={`${id}-discovered-hint`}>
          {t('incidents.discoveredHint')}
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${id}-scope`}>{t('incidents.scopeField')}</label>
        <textarea
          id={`${id}-scope`}
          name="scope"
          rows={4}
          maxLength={5000}
          defaultValue={scope}
          aria-describedby={`${id}-scope-hint`}
        />
        <p className="hint" id={`${id}-scope-hint`}>
          {t('incidents.scopeHint')}
        </p>
      </div>
    </>
  );
}

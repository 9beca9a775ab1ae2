import { useTranslation } from 'react-i18next';

/** The one-time-code input: numeric keyboard on phones, and the browser may fill it from SMS/apps. */
export function CodeField({
  id,
  labelKey,
  describedBy,
}: {
  id: string;
  labelKey: string;
  describedBy?: string | undefined;
}) {
  const { t } = useTranslation();
  return (
    <div className="field">
      <label htmlFor={id}>{t(labelKey)}</label>
      <input
        id={id}
        name="code"
        autoComplete="one-time-code"
        required
        maxLength={20}
        spellCheck={false}
        aria-describedby={describedBy}
      />
    </div>
  );
}

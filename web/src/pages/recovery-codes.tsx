import { useTranslation } from 'react-i18next';

/** The recovery codes issued with a first second factor, shown once for the person to keep. */
export function RecoveryCodes({ codes }: { codes: string[] }) {
  const { t } = useTranslation();
  return (
    <ul className="card recovery-codes" aria-label={t('mfa.recoveryTitle')}>
      {codes.map((code) => (
        <li key={code}>
          <code>{code}</code>
        </li>
      ))}
    </ul>
  );
}

import { useTranslation } from 'react-i18next';
import type { PasswordVerdict } from '@safeconsult/protocol';

const LEVELS = ['veryWeak', 'weak', 'fair', 'good', 'strong'] as const;

/** The strength meter and the policy's reasons, in plain words, updated as the user types. */
export function PasswordStrength({
  id,
  verdict,
}: {
  id: string;
  verdict: PasswordVerdict | undefined;
}) {
  const { t } = useTranslation();
  if (!verdict) return <div id={id} className="password-strength" />;
  const level = LEVELS[verdict.strength] ?? 'veryWeak';
  return (
    <div id={id} className="password-strength" aria-live="polite">
      <div className="strength-row">
        <meter
          min={0}
          max={4}
          low={2}
          high={3}
          optimum={4}
          value={verdict.strength}
          aria-label={t('password.strengthLabel')}
        />
        <span>{t(`password.levels.${level}`)}</span>
      </div>
      {verdict.acceptable ? (
        <p className="ok">{t('password.acceptable')}</p>
      ) : (
        <ul className="reasons">
          {verdict.problems.map((p) => (
            <li key={p.code}>
              {t(`password.problems.${p.code}`, { min: p.min, max: p.max, word: p.word })}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

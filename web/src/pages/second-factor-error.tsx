import { useTranslation } from 'react-i18next';
import type { Problem } from '@safeconsult/protocol';

const KNOWN = new Set([
  'mfa_code_invalid',
  'sign_in_throttled',
  'account_locked',
  'validation_failed',
  'passkey_invalid',
  'passkey_required',
]);

export function SecondFactorError({ id, problem }: { id: string; problem: Problem | undefined }) {
  const { t } = useTranslation();
  if (!problem) return null;
  const key = KNOWN.has(problem.code) ? problem.code : 'other';
  const seconds = /(\d+)/.exec(problem.detail ?? '')?.[1] ?? '60';
  return (
    <p className="error" role="alert" id={id}>
      {t(`mfa.errors.${key}`, { seconds })}
    </p>
  );
}

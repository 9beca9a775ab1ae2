import { useTranslation } from 'react-i18next';
import type { Problem } from '@safeconsult/protocol';

/** Problems whose meaning does not depend on the action: said the same way everywhere. */
export const GENERAL_PROBLEMS: ReadonlySet<string> = new Set([
  'forbidden',
  'network_error',
  'rate_limited',
]);

/**
 * A refusal or failure from the server. Where the server explains which rule stopped the change
 * (`detail`), its words are shown; a refused patient route answers `not_found` without detail, so
 * the page's own words (`fallbackKey`) cover that.
 */
export function ProblemMessage({
  problem,
  fallbackKey,
}: {
  problem: Problem;
  fallbackKey: string;
}) {
  const { t } = useTranslation();
  return (
    <p className="error" role="alert">
      {GENERAL_PROBLEMS.has(problem.code)
        ? t(`problems.${problem.code}`)
        : (problem.detail ?? t(fallbackKey))}
    </p>
  );
}

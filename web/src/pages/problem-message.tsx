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
 * the page's own words (`fallbackKey`) cover that. Where the page knows what a code means for its
 * action (`conflict` on removing a passkey: it is the last one), its `explanations` say so in the
 * person's language instead.
 */
export function ProblemMessage({
  problem,
  fallbackKey,
  explanations = {},
}: {
  problem: Problem;
  fallbackKey: string;
  explanations?: Readonly<Partial<Record<string, string>>>;
}) {
  const { t } = useTranslation();
  return (
    <p className="error" role="alert">
      {explanations[problem.code] ??
        (GENERAL_PROBLEMS.has(problem.code)
          ? t(`problems.${problem.code}`)
          : (problem.detail ?? t(fallbackKey)))}
    </p>
  );
}

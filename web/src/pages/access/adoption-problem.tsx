import { useTranslation } from 'react-i18next';
import type { Problem } from '@safeconsult/protocol';
import { ProblemMessage } from '../problem-message.js';

/**
 * Why a policy version was not adopted: someone adopted another one meanwhile, or the set has
 * problems (each named by file:line:column), or the request itself was refused.
 */
export function AdoptionProblem({ problem }: { problem: Problem }) {
  const { t } = useTranslation();
  if (problem.code === 'conflict') {
    return (
      <p className="error" role="alert">
        {t('accessPolicy.conflict')}
      </p>
    );
  }
  if (problem.code === 'policy_invalid' || problem.code === 'validation_failed') {
    return (
      <div className="error" role="alert">
        <p>{t('accessPolicy.notAdopted')}</p>
        <ul className="problems">
          {problem.errors?.map((e) => (
            <li key={`${e.path} ${e.message}`}>
              <code>{e.path}</code> {e.message}
            </li>
          ))}
        </ul>
      </div>
    );
  }
  return <ProblemMessage problem={problem} fallbackKey="accessPolicy.failed" />;
}

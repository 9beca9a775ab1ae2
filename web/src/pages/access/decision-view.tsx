import { useTranslation } from 'react-i18next';
import type { AccessDecisionView } from '@safeconsult/protocol';

type Policy = AccessDecisionView['policies'][number];

/** The policies that decided, each with the comment its author wrote to explain it. */
export function PolicyList({ policies }: { policies: Policy[] }) {
  const { t } = useTranslation();
  return (
    <ul className="policy-list">
      {policies.map((p) => (
        <li key={p.id}>
          <code>{p.id}</code>{' '}
          <span className="muted">
            ({t(p.effect === 'permit' ? 'decision.permits' : 'decision.forbids')}, {p.file})
          </span>
          {p.explanation && <span className="explanation">{p.explanation}</span>}
        </li>
      ))}
    </ul>
  );
}

/** Allowed or refused, and why: the deciding policies, or deny by default when none permits. */
export function DecisionView({ decision }: { decision: AccessDecisionView }) {
  const { t } = useTranslation();
  const allowed = decision.decision === 'allow';
  return (
    <div className="decision">
      <span className={allowed ? 'badge badge-allow' : 'badge badge-alert'}>
        {t(allowed ? 'decision.allow' : 'decision.deny')}
      </span>
      {decision.policies.length === 0 ? (
        <p className="why">{t('decision.denyByDefault')}</p>
      ) : (
        <PolicyList policies={decision.policies} />
      )}
    </div>
  );
}
